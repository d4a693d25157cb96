/**
 * `--junit FILE`: JUnit XML as CI systems render it (one testsuite per scenario file, one testcase
 * per implementation). XFAIL is a passing test whose output says which field bug it reproduced;
 * FAIL and XPASS are failures; ERROR is an error; N/A is skipped, with the reason.
 */
import { xmlText } from './escape.js';
import type { RunReport, ScenarioResult } from './model.js';

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function details(r: ScenarioResult): string {
  const lines = [r.summary, ...r.findings.map((f) => `${f.code}: ${f.message}`), `replay: ${r.replay}`];
  if (r.seenIn) lines.push(`seen in: ${r.seenIn}`);
  return lines.join('\n');
}

function testcase(r: ScenarioResult): string {
  const open = `    <testcase classname="${xmlText(`scenarios.${r.scenario}`)}" name="${xmlText(r.implementation)}" file="${xmlText(r.file)}" time="${seconds(r.durationMs)}"`;
  const body = (() => {
    switch (r.verdict) {
      case 'PASS':
        return '';
      case 'XFAIL':
        return `      <system-out>${xmlText(`expected failure reproduced (${r.expectedFailure?.findings.join(', ')})\n${details(r)}`)}</system-out>\n`;
      case 'N/A':
        return `      <skipped message="${xmlText(r.summary)}"/>\n`;
      case 'ERROR':
        return `      <error message="${xmlText(r.summary)}" type="${xmlText(r.error?.code ?? r.error?.name ?? 'ERROR')}">${xmlText(details(r))}</error>\n`;
      default:
        return `      <failure message="${xmlText(r.summary)}" type="${xmlText(r.verdict === 'XPASS' ? 'XPASS' : (r.findings[0]?.code ?? 'FAIL'))}">${xmlText(details(r))}</failure>\n`;
    }
  })();
  return body ? `${open}>\n${body}    </testcase>` : `${open}/>`;
}

export function renderJUnit(report: RunReport): string {
  const byFile = new Map<string, ScenarioResult[]>();
  for (const r of report.results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const count = (list: ScenarioResult[], verdicts: string[]) => list.filter((r) => verdicts.includes(r.verdict)).length;
  const suites = [...byFile].map(([file, list]) => {
    const time = list.reduce((n, r) => n + r.durationMs, 0);
    return `  <testsuite name="${xmlText(list[0].scenario)}" file="${xmlText(file)}" tests="${list.length}" failures="${count(list, ['FAIL', 'XPASS'])}" errors="${count(list, ['ERROR'])}" skipped="${count(list, ['N/A'])}" time="${seconds(time)}" timestamp="${xmlText(report.startedAt.replace(/\.\d+Z$/, ''))}">
${list.map(testcase).join('\n')}
  </testsuite>`;
  });
  const all = report.results;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dhis2-harness run" tests="${all.length}" failures="${count(all, ['FAIL', 'XPASS'])}" errors="${count(all, ['ERROR'])}" skipped="${count(all, ['N/A'])}" time="${seconds(report.durationMs)}">
${suites.join('\n')}
</testsuites>
`;
}
