/** A location inside a CRM answer, as zod reports it: object keys and list indexes from the top. */
export type JsonPath = readonly PropertyKey[];

const plainKey = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * JSONPath text (`$.customers[0].orders[1].amount`), the notation of every CRM warning and error:
 * integrators can paste it into jq-like tools, and `$` alone names the answer itself.
 * Keys that are not plain identifiers are quoted (`$["order-id"]`) so the path stays unambiguous.
 */
export function formatJsonPath(path: JsonPath): string {
  let text = '$';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && plainKey.test(segment)) text += `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}
