/** Small builders for ACD tests. */
import type { AgentDef, AgentRecord, QueueEntry, SectionDef } from '../../src/domain/acd.js'

export function section(id: string, over: Partial<SectionDef> = {}): SectionDef {
  return {
    id,
    name: id,
    operator: false,
    ringTimeoutSec: 15,
    mohClass: 'default',
    wrapUpSec: 0,
    noAnswerPauseSec: 60,
    announce: { onEntry: true, everySec: 60, position: true },
    ...over,
  }
}

export function agentDef(id: string, sections: string[]): AgentDef {
  return { id, name: id, endpoint: `PJSIP/${id}`, sections }
}

export function agentRec(id: string, sections: string[], over: Partial<AgentRecord> = {}): AgentRecord {
  return { ...agentDef(id, sections), state: 'ready', since: 0, idleSince: 0, ...over }
}

let seq = 0
export function entry(callId: string, sectionId: string, over: Partial<QueueEntry> = {}): QueueEntry {
  return { callId, section: sectionId, priority: 0, enteredAt: 0, seq: ++seq, lang: 'it', status: 'waiting', ...over }
}
