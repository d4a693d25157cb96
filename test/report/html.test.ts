/** The HTML report (issue item 3): self-contained, a timeline per failing key, the replay command. */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/harness/report/html.js';
import { sampleReport } from './fixtures.js';

describe('renderHtml', () => {
  it('is one self-contained page: no external scripts, styles, images or fonts', async () => {
    const html = renderHtml(await sampleReport());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\(/);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|www\.w3\.org\/2000\/svg)/);
  });

  it('per failing key: lanes per client, bars per operation, the duplicate highlighted', async () => {
    const html = renderHtml(await sampleReport());
    const section = html.split('<section').find((s) => s.startsWith(' class="result') && s.includes('Two concurrent runs') && s.includes('reference:naiveSearchThenCreate'))!;
    expect(section).toContain('data-key="NID-1001"');
    expect(section).toMatch(/class="lane-name"[^>]*>cron run 1</);
    expect(section).toMatch(/class="lane-name"[^>]*>cron run 2</);
    expect(section).toMatch(/class="lane-name"[^>]*>DHIS2 \(server\)</);
    expect(section.match(/<g class="op outcome-ok dup"/g)).toHaveLength(4); // 2 ops × 2 axes
    expect(section.match(/<g class="commit dup"/g)).toHaveLength(4);
    expect(section).toContain('duplicate: 2 live entities carry NID-1001');
    expect(section).toContain('Replay: <code>npx dhis2-harness run scenarios/two-concurrent-runs.json --impl reference:naiveSearchThenCreate --html two-concurrent-runs.html</code>');
  });

  it('injected faults appear on the server lane', async () => {
    const html = renderHtml(await sampleReport());
    const section = html.split('<section').find((s) => s.startsWith(' class="result') && s.includes('reference:trackerNoUid'))!;
    expect(section).toMatch(/<g class="fault" data-kind="drop-after-commit">/);
  });

  it('escapes what scenario files and servers put into it', async () => {
    const report = structuredClone(await sampleReport());
    report.results[0].title = '<img src=x onerror=alert(1)>';
    expect(renderHtml(report)).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
