// Calling the admin endpoints (/_localcloud/*) as every in-repo caller does: the token as a
// bearer, JSON bodies with their content type. The answer is parsed JSON; errors name the status.
export async function adminRequest(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ ok: boolean; status: number; body: unknown }> {
  const res = await fetch(`${url}/_localcloud/${path.replace(/^\/?(_localcloud\/)?/, "")}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      // Every request carries the JSON type: a browser cannot send it cross-origin without asking first.
      "content-type": "application/json",
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  return { ok: res.ok, status: res.status, body: (await res.json()) as unknown };
}
