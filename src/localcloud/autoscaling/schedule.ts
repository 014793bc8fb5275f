// Application Auto Scaling's schedule expressions: at(yyyy-mm-ddThh:mm:ss), rate(N unit) and
// cron(minutes hours day-of-month month day-of-week year), in the action's Timezone (UTC when
// absent). `dueBetween` says whether the schedule fires in (since, now].

export type Schedule =
  | { kind: "at"; local: string }
  | { kind: "rate"; ms: number }
  | { kind: "cron"; fields: string[] };

const rateUnits: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The parsed schedule, or an error message naming the expected forms. */
export function parseSchedule(text: string): Schedule | string {
  let m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(text);
  if (m) return { kind: "at", local: m[1] as string };
  m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (m) {
    const n = Number(m[1]);
    if (n < 1) return "rate() needs a value of at least 1";
    return { kind: "rate", ms: n * (rateUnits[(m[2] as string).replace(/s$/, "")] as number) };
  }
  m = /^cron\(([^)]+)\)$/.exec(text);
  if (m) {
    const fields = (m[1] as string).trim().split(/\s+/);
    if (fields.length !== 6)
      return "cron() needs 6 fields: minutes hours day-of-month month day-of-week year";
    if (!fields.every((f) => /^[0-9*?,/\-LW#A-Z]+$/i.test(f)))
      return "cron() fields hold numbers, *, ?, -, / and ,";
    return { kind: "cron", fields };
  }
  return `Schedule ${text} must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)`;
}

/** Wall-clock parts of `date` in `timezone` (minutes precision). */
function wallClock(date: Date, timezone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  return {
    year: Number(get("year")),
    month: Number(get("month")),
    day: Number(get("day")),
    hour: Number(get("hour")),
    minute: Number(get("minute")),
    // cron's day of week: 1 = Sunday ... 7 = Saturday
    weekday: weekdays.indexOf(get("weekday")) + 1,
  };
}

const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function fieldMatches(field: string, value: number, names: string[] = []): boolean {
  if (field === "*" || field === "?") return true;
  return field.split(",").some((part) => {
    const [range = "*", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const num = (s: string) => {
      const i = names.indexOf(s.toUpperCase());
      return i >= 0 ? i + 1 : Number(s);
    };
    let lo: number;
    let hi: number;
    if (range === "*") {
      lo = 0;
      hi = Number.MAX_SAFE_INTEGER;
    } else if (range.includes("-")) {
      const [a = "", b = ""] = range.split("-");
      lo = num(a);
      hi = num(b);
    } else {
      lo = num(range);
      hi = stepText === undefined ? lo : Number.MAX_SAFE_INTEGER;
    }
    return value >= lo && value <= hi && (value - (range === "*" ? 0 : lo)) % step === 0;
  });
}

function cronMatches(fields: string[], date: Date, timezone: string): boolean {
  const w = wallClock(date, timezone);
  const [min = "*", hour = "*", dom = "*", month = "*", dow = "*", year = "*"] = fields;
  return (
    fieldMatches(min, w.minute) &&
    fieldMatches(hour, w.hour) &&
    fieldMatches(dom, w.day) &&
    fieldMatches(month, w.month, monthNames) &&
    fieldMatches(dow, w.weekday, dayNames) &&
    fieldMatches(year, w.year)
  );
}

/** The instant an at() time names in `timezone`. */
function atInstant(local: string, timezone: string): number {
  const asUtc = Date.parse(`${local}Z`);
  // The zone's offset at that moment: the wall clock of the UTC reading, compared with it.
  const w = wallClock(new Date(asUtc), timezone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUtc - (wallAsUtc - Math.floor(asUtc / 60_000) * 60_000);
}

/** Whether the schedule fires after `since` and at or before `now`. */
export function dueBetween(schedule: Schedule, since: Date, now: Date, timezone = "UTC"): boolean {
  switch (schedule.kind) {
    case "at": {
      const at = atInstant(schedule.local, timezone);
      return at > since.getTime() && at <= now.getTime();
    }
    case "rate":
      return now.getTime() - since.getTime() >= schedule.ms;
    case "cron": {
      // Every whole minute in (since, now], at most a day of them.
      const first = Math.floor(since.getTime() / 60_000) * 60_000 + 60_000;
      for (let t = first, n = 0; t <= now.getTime() && n < 1440; t += 60_000, n++) {
        if (cronMatches(schedule.fields, new Date(t), timezone)) return true;
      }
      return false;
    }
  }
}
