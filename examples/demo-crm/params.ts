/**
 * A CRM request's parameters, wherever Parley put them: a GET carries them in the query string
 * (a list as comma-separated values), a POST as a JSON object (a list as a JSON array). Answers
 * read them through this one interface and never care which method was used.
 */
export interface CrmParams {
  /** The parameter as trimmed text; undefined when absent or blank. */
  text(name: string): string | undefined;
  /** A list parameter's entries, blanks dropped. */
  list(name: string): string[];
}

const splitList = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

const blankToUndefined = (value: string) => (value.trim() === '' ? undefined : value.trim());

export function paramsFromQuery(query: URLSearchParams): CrmParams {
  return {
    text: (name) => {
      const value = query.get(name);
      return value === null ? undefined : blankToUndefined(value);
    },
    list: (name) => splitList(query.get(name) ?? ''),
  };
}

/** Numbers are read as their text (a `limit` of 5 or "5" is the same); other non-strings are ignored. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return blankToUndefined(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function paramsFromJson(body: Readonly<Record<string, unknown>>): CrmParams {
  return {
    text: (name) => scalarText(body[name]),
    list: (name) => {
      const value = body[name];
      // A comma-separated string is accepted too: some senders flatten lists the GET way.
      if (typeof value === 'string') return splitList(value);
      if (!Array.isArray(value)) return [];
      return value.map(scalarText).filter((entry): entry is string => entry !== undefined);
    },
  };
}
