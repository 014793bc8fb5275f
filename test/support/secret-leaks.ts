// Looking for secrets in text (logs, Events) without ever printing them: a secret is found as
// written, JSON-escaped or URL-encoded (the forms a log line or a URL would carry it in).

/** Where each secret shows up, as "place, line N: secret #i (K characters)"; i counts from 1 in `secrets`. */
export function secretLeaks(places: [where: string, text: string][], secrets: Iterable<string>): string[] {
  const leaks: string[] = [];
  let index = 0;
  for (const secret of secrets) {
    index += 1;
    if (secret.length < 4) continue; // too short to tell from ordinary text
    const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
    for (const [where, text] of places) {
      const found = [...forms].map((form) => text.indexOf(form)).filter((at) => at >= 0);
      if (found.length === 0) continue;
      const line = text.slice(0, Math.min(...found)).split("\n").length;
      leaks.push(`${where}, line ${line}: secret #${index} (${secret.length} characters)`);
    }
  }
  return leaks;
}
