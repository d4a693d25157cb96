// Minimal DHIS2 HTTP helpers for the scenario library's hand-written reference upserts (plain JS,
// loaded by plain Node). No retries and no timeouts beyond the caller's signal: these imitate
// integration code as it is found in the field, bugs included.
export function api(ctx) {
  const auth = 'Basic ' + Buffer.from(`${ctx.username}:${ctx.password}`).toString('base64');
  const call = async (method, path, body) => {
    const res = await fetch(`${ctx.baseUrl.replace(/\/+$/, '')}/api/${path}`, {
      method,
      headers: { authorization: auth, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: ctx.signal,
    });
    const text = await res.text();
    if (!res.ok) {
      const err = new Error(`${method} /api/${path.split('?')[0]} answered HTTP ${res.status}: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
      err.code = `HTTP_${res.status}`;
      // a 4xx is a definite answer: nothing was written
      err.outcomeUnknown = res.status >= 500;
      throw err;
    }
    return text ? JSON.parse(text) : null;
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b), put: (p, b) => call('PUT', p, b) };
}

export function keyOf(record) {
  return record.attributes.find((a) => a.attribute === record.matchAttribute).value;
}

export async function readStdin() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text);
}
