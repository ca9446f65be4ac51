/**
 * A shop's agents (docs/tokens-and-agents.md): created with a token shown once, listed with when their
 * token was last used, updated, given a new token, deleted. Every change that alters what an agent's
 * token may do empties the cached principals of the shop in every process before it returns.
 * Deleting an agent removes it and its tokens; its lookups stay in the audit, by id.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { CreateAgentRequest, UpdateAgentRequest } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import type { Db, Tx } from '../../db/database.ts';
import { agents, apiTokens } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { generateToken, hashToken, tokenPrefix } from '../../lib/tokens.ts';
import { forgetShopPrincipals } from './principal-cache.ts';

type AgentRow = typeof agents.$inferSelect;
type TokenInfo = { prefix: string; createdAt: Date; lastUsedAt: Date | null } | undefined;

const presentAgent = (agent: AgentRow, token: TokenInfo) => ({
  id: agent.id,
  nickname: agent.nickname,
  name: agent.name,
  permissions: agent.permissions,
  created_at: agent.createdAt.toISOString(),
  updated_at: agent.updatedAt.toISOString(),
  token_prefix: token?.prefix ?? null,
  token_created_at: token?.createdAt.toISOString() ?? null,
  last_used_at: token?.lastUsedAt?.toISOString() ?? null,
});

const agentNotFound = (agentId: string) =>
  new AppError(
    'NOT_FOUND',
    `Agent ${agentId} does not exist in this shop. list_agents (or GET /api/agents) lists them.`,
    404,
  );

async function insertAgentToken(tx: Tx, shopId: string, agentId: string, now: Date) {
  const token = generateToken('agent');
  const info = { prefix: tokenPrefix(token), createdAt: now, lastUsedAt: null };
  await tx.insert(apiTokens).values({
    id: newId('tok'),
    shopId,
    kind: 'agent',
    agentId,
    tokenHash: hashToken(token),
    tokenPrefix: info.prefix,
    createdAt: now,
  });
  return { token, info };
}

export async function createAgent(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  shopId: string,
  input: CreateAgentRequest,
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.shopId, shopId), eq(agents.nickname, input.nickname)));
    if (existing !== undefined) {
      throw new AppError(
        'CONFLICT',
        `An agent with nickname "${input.nickname}" already exists in this shop.`,
        409,
      );
    }
    const [agent] = await tx
      .insert(agents)
      .values({
        id: newId('agt'),
        shopId,
        nickname: input.nickname,
        name: input.name,
        permissions: input.permissions,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (agent === undefined) throw new Error('insert into agents returned no row');
    const { token, info } = await insertAgentToken(tx, shopId, agent.id, now);
    return { agent: presentAgent(agent, info), token };
  });
}

/** The shop's agents, oldest first, each with its live token's prefix and when it was last used. */
export async function listAgents(db: Db, shopId: string) {
  const rows = await db
    .select({
      agent: agents,
      prefix: apiTokens.tokenPrefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(agents)
    .leftJoin(apiTokens, and(eq(apiTokens.agentId, agents.id), isNull(apiTokens.revokedAt)))
    .where(eq(agents.shopId, shopId))
    .orderBy(agents.createdAt, agents.id);
  return rows.map(({ agent, prefix, createdAt, lastUsedAt }) =>
    presentAgent(
      agent,
      prefix === null || createdAt === null ? undefined : { prefix, createdAt, lastUsedAt },
    ),
  );
}

async function liveToken(db: Db | Tx, agentId: string): Promise<TokenInfo> {
  const [row] = await db
    .select({
      prefix: apiTokens.tokenPrefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.agentId, agentId), isNull(apiTokens.revokedAt)));
  return row;
}

async function findAgent(db: Db | Tx, shopId: string, agentId: string): Promise<AgentRow> {
  const [agent] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.id, agentId), eq(agents.shopId, shopId)));
  if (agent === undefined) throw agentNotFound(agentId);
  return agent;
}

/** The agent as it is now, for previews and for update_agent's answer. */
export async function describeAgent(db: Db, shopId: string, agentId: string) {
  const agent = await findAgent(db, shopId, agentId);
  return presentAgent(agent, await liveToken(db, agentId));
}

export async function updateAgent(
  deps: Pick<AppDeps, 'db' | 'clock' | 'invalidation'>,
  shopId: string,
  agentId: string,
  input: UpdateAgentRequest,
) {
  const [agent] = await deps.db
    .update(agents)
    .set({ name: input.name, permissions: input.permissions, updatedAt: deps.clock.now() })
    .where(and(eq(agents.id, agentId), eq(agents.shopId, shopId)))
    .returning();
  if (agent === undefined) throw agentNotFound(agentId);
  // Cached principals hold the permissions.
  await forgetShopPrincipals(deps, shopId);
  return { agent: presentAgent(agent, await liveToken(deps.db, agentId)) };
}

/** A new token for the agent, shown once; the old one is refused from now on, in every process. */
export async function rotateAgentToken(
  deps: Pick<AppDeps, 'db' | 'clock' | 'invalidation'>,
  shopId: string,
  agentId: string,
) {
  const now = deps.clock.now();
  const rotated = await deps.db.transaction(async (tx) => {
    const agent = await findAgent(tx, shopId, agentId);
    await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.agentId, agentId), isNull(apiTokens.revokedAt)));
    const [updated] = await tx
      .update(agents)
      .set({ updatedAt: now })
      .where(eq(agents.id, agentId))
      .returning();
    const { token, info } = await insertAgentToken(tx, shopId, agentId, now);
    return { agent: presentAgent(updated ?? agent, info), token };
  });
  await forgetShopPrincipals(deps, shopId);
  return rotated;
}

/** Revokes and removes the agent (its tokens with it); the lookup audit keeps its id. */
export async function deleteAgent(
  deps: Pick<AppDeps, 'db' | 'invalidation'>,
  shopId: string,
  agentId: string,
) {
  const deleted = await deps.db
    .delete(agents)
    .where(and(eq(agents.id, agentId), eq(agents.shopId, shopId)))
    .returning({ id: agents.id, nickname: agents.nickname });
  if (deleted.length === 0) throw agentNotFound(agentId);
  await forgetShopPrincipals(deps, shopId);
  return { deleted: true, id: agentId, nickname: deleted[0]?.nickname };
}
