/**
 * Raw statements whose text drizzle renders once. Rendering a `sql` template walks every chunk of it,
 * checking each one's kind several times, and a statement assembled from fragments has hundreds: for
 * the worker's claim and its result write, that walk was the largest share of Parley's own CPU per
 * delivery after the network (docs/decisions/performance-notes.md). A statement built once names its
 * values with `sql.placeholder(name)`; each run passes the values by name, and only they are walked.
 */
import { is, Param, Placeholder, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

export type StatementValues = Record<string, unknown>;

/**
 * Returns what makes a runnable `SQL` of `statement` from its values, by the names of its placeholders
 * (a name may appear several times). The text is rendered at the first run, not when the module loads:
 * these statements are module constants, and a start should not pay for them. A literal value in it
 * (`eq(column, true)`) is bound the same on every run.
 */
export function builtOnce(statement: SQL): (values: StatementValues) => SQL {
  let rendered: ((values: StatementValues) => SQL) | undefined;
  return (values) => {
    rendered ??= render(statement);
    return rendered(values);
  };
}

function render(statement: SQL): (values: StatementValues) => SQL {
  const query = new PgDialect().sqlToQuery(statement);
  const bindings = query.params.map((param): { name: string } | { fixed: unknown } => {
    const value: unknown = is(param, Param) ? param.value : param;
    return is(value, Placeholder) ? { name: value.name } : { fixed: value };
  });
  // The dialect numbers its parameters $1, $2… in order; the text between them is fixed.
  const parts = query.sql.split(/\$\d+\b/);
  if (parts.length !== bindings.length + 1) {
    throw new Error('a statement built once may not contain "$<number>" outside its parameters');
  }
  const strings = Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray;
  return (values) =>
    sql(
      strings,
      ...bindings.map((binding) => {
        if ('fixed' in binding) return sql.param(binding.fixed);
        if (!(binding.name in values)) throw new Error(`no value for the placeholder "${binding.name}"`);
        return sql.param(values[binding.name]);
      }),
    );
}
