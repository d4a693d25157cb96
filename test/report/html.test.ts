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
    expect(section).toContain('Replay: <code>npx dhis2-harness run scenarios/two-concurrent-runs.json --implementation reference:naiveSearchThenCreate --html two-concurrent-runs.html</code>');
  });

  it('request ticks are labelled, and an interleaving list beside the timeline tells the race in words', async () => {
    const html = renderHtml(await sampleReport());
    const section = html.split('<section').find((s) => s.startsWith(' class="result') && s.includes('Two concurrent runs') && s.includes('reference:naiveSearchThenCreate'))!;
    const order = section.split('<div class="tl time">')[0];
    const labels = [...order.matchAll(/<text class="tick-label[^"]*"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels.filter((l) => l === 'search → 0')).toHaveLength(2);
    expect(labels.filter((l) => l === 'POST 200')).toHaveLength(2);
    const list = /<div class="interleaving">[\s\S]*?<\/ol>/.exec(section)![0];
    const items = [...list.matchAll(/<li[^>]*><b>(op\d+)<\/b> <span class="who">[^<]*<\/span> ([^<]*?) ?(?:<span|<\/li>)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(items).toContain('op0 GET system/info 200'); // metadata reads are listed too, by name
    // both searched (and found nothing), then both created: the race, readable in a screenshot
    expect(items.filter((i) => /search|POST/.test(i)).slice(0, 4)).toEqual(['op0 search → 0', 'op1 search → 0', 'op0 POST 200', 'op1 POST 200']);
    expect(items.filter((i) => /commit: create/.test(i))).toHaveLength(2);
  });

  it('a fault is named on its request tick and in the list', async () => {
    const html = renderHtml(await sampleReport());
    const section = html.split('<section').find((s) => s.startsWith(' class="result') && s.includes('reference:trackerNoUid'))!;
    expect(section).toMatch(/<text class="tick-label faulted"[^>]*>drop after commit<\/text>/);
    expect(section).toMatch(/<li class="faulted"><b>op0<\/b> <span class="who">[^<]*<\/span> drop after commit/);
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
