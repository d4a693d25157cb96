// upsert.mjs: the upsert most integrations start with. Search by the key; nothing found → create,
// one found → update. The harness calls it with one record and the DHIS2 to use (ctx).
export default async function upsert(record, ctx) {
  const auth = 'Basic ' + Buffer.from(`${ctx.username}:${ctx.password}`).toString('base64');
  const api = async (method, path, body) => {
    const res = await fetch(`${ctx.baseUrl}/api/${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
      signal: ctx.signal,
    });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  const key = record.attributes.find((a) => a.attribute === record.matchAttribute).value;
  const query = new URLSearchParams({ ouMode: 'ACCESSIBLE', trackedEntityType: record.trackedEntityType, filter: `${record.matchAttribute}:EQ:${key}` });
  const found = (await api('GET', `trackedEntityInstances?${query}`)).trackedEntityInstances;
  if (found.length > 1) throw new Error(`${found.length} patients carry ${key}`);
  const { trackedEntityType, orgUnit, attributes } = record;
  if (found.length === 1) {
    const uid = found[0].trackedEntityInstance;
    await api('PUT', `trackedEntityInstances/${uid}`, { trackedEntityType, orgUnit: found[0].orgUnit, attributes });
    return uid;
  }
  const created = await api('POST', 'trackedEntityInstances', { trackedEntityType, orgUnit, attributes });
  return created.response.importSummaries[0].reference;
}
