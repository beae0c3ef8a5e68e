/**
 * Callback calls from the queue service's side: a callback entry whose turn came has its agent
 * reserved; the connector (calls/callback.ts) places the call, and this keeps the books of the
 * outcome — connected, citizen not reached (retry in the same place or give up after
 * maxAttempts), agent missed, or cut short.
 */
import type { AgentRecord, QueueEntry, SectionDef } from '../domain/acd.js'
import type { NewCallEvent } from '../domain/events.js'
import type { AgentBook } from './agent-book.js'
import type { AcdDeps, CallbackResult } from './types.js'

export interface CallbackBooks {
  d: AcdDeps
  agents: AgentBook
  recordServed(caller: string | undefined, agentId: string): Promise<void>
}

/** Places a callback call with the reserved agent and keeps the books of its outcome (the caller dispatches after). */
export async function placeCallback(b: CallbackBooks, entry: QueueEntry, agent: AgentRecord, section: SectionDef): Promise<void> {
  const { d, agents } = b
  const callId = entry.callId
  const offeredAt = d.clock.now()
  const attempt = (entry.recall?.attempts ?? 0) + 1
  const mode = section.callback?.mode ?? 'agent-first'
  let result: CallbackResult
  try {
    result = await d.connector.callback!({ callId, agent, section, entry, attempt })
  } catch (err) {
    result = { kind: 'citizen_no_answer', outcome: 'failed', reason: err instanceof Error ? err.message : String(err) }
  }
  const attemptEvent = (outcome: Extract<NewCallEvent, { type: 'callback.attempt' }>['outcome']) =>
    d.emit({ type: 'callback.attempt', callId, section: section.id, agentId: agent.id, attempt, mode, outcome })
  switch (result.kind) {
    case 'answered': {
      attemptEvent('answered')
      const done = await d.store.queues.remove(callId)
      await agents.connected(agent.id, section.id, callId, offeredAt)
      await b.recordServed(entry.recall?.number, agent.id)
      d.emit({ type: 'callback.completed', callId, section: section.id, agentId: agent.id, attempts: attempt, waitMs: d.clock.now() - (done ?? entry).enteredAt })
      break
    }
    case 'citizen_no_answer': {
      attemptEvent(result.outcome)
      // The agent did nothing wrong: ready again at once, keeping their idle order.
      await agents.release(agent.id)
      const max = section.callback?.maxAttempts ?? 1
      const cur = await d.store.queues.get(callId)
      if (!cur) break
      if (attempt >= max) {
        await d.store.queues.remove(callId)
        d.emit({ type: 'callback.failed', callId, section: section.id, attempts: attempt, reason: `citizen not reached (${result.outcome})` })
        d.log.info({ callId, attempts: attempt }, 'callback failed: citizen not reached')
        break
      }
      // Eligible again after retryAfterSec, in the same place (same priority, entry time, seq).
      const next: QueueEntry = { ...cur, status: 'waiting', recall: { ...cur.recall!, attempts: attempt }, notBefore: d.clock.now() + (section.callback?.retryAfterSec ?? 0) * 1000 }
      delete next.offeredTo
      await d.store.queues.enqueue(next)
      break
    }
    case 'agent_no_answer': {
      attemptEvent('agent_no_answer')
      d.emit({ type: 'agent.no_answer', callId, section: section.id, agentId: agent.id, cause: result.cause })
      await d.store.queues.markWaiting(callId)
      await agents.missed(agent.id, section, result.unreachable ? 'unreachable' : 'no-answer')
      break
    }
    case 'aborted':
      await d.store.queues.markWaiting(callId)
      await agents.release(agent.id)
      break
  }
  // Only now, with the books closed, may the call's recovery record go (a crash before this
  // point leaves it for the next engine, which closes the same books: see interruptedCallback).
  if (result.kind !== 'answered') await d.connector.callbackSettled?.(callId).catch((err: unknown) => d.log.warn({ err }, 'could not delete the callback record'))
}

/**
 * A callback call found recorded by an engine that did not place it (the placing engine died
 * or stopped): `connected` with a leg gone ends the agent's call; cut before the bridge, the
 * entry goes back to its place and the agent to ready. Each only if the books still show this
 * attempt (a book already closed, or a later attempt, is left alone).
 */
export async function interruptedCallback(
  b: CallbackBooks,
  cb: { entryCallId: string; agentId: string; section: string; attempt: number; connected: boolean },
  recoverOffer: (callId: string) => Promise<void>,
): Promise<'ended' | 'requeued' | 'nothing'> {
  const { d } = b
  if (cb.connected) {
    const a = await d.store.agents.get(cb.agentId)
    if (!a || a.callId !== cb.entryCallId || (a.state !== 'on_call' && a.state !== 'reserved')) return 'nothing'
    await b.agents.callEnded(cb.agentId, cb.section)
    return 'ended'
  }
  const e = await d.store.queues.get(cb.entryCallId)
  if (!e || e.status !== 'offered' || e.offeredTo !== cb.agentId || (e.recall?.attempts ?? 0) !== cb.attempt - 1) return 'nothing'
  await recoverOffer(cb.entryCallId)
  return 'requeued'
}
