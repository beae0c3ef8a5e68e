/** The campaign API's answers as the page reads them (src/http/routes/campaigns.ts has the schemas). */
import type { CampaignStatus } from '../../../domain/campaign.js'

export type { CampaignStatus }

export interface Campaign {
  id: string
  name: string
  mode: string
  status: CampaignStatus
  createdAt: string
  history: Array<{ status: CampaignStatus; at: string }>
  config: {
    section: string
    maxChannels: number
    abandonCeiling: number
    maxAttempts: number
    windows: { days: Record<string, string[]>; timezone?: string }
    [k: string]: unknown
  }
}

export type Counts = Record<string, number>

export interface Progress {
  campaignId: string
  status: CampaignStatus
  at: string
  contacts: { total: number; pending: number; dialing: number; done: number; failed: number; excluded: number }
  attempts: number
  byOutcome: Counts
  byAttempt: Record<string, Counts>
  byHour: Record<string, Counts>
  answered: number
  human: number
  machine: number
  putThrough: number
  transfers: number
  abandon: { windowMs: number; answers: number; abandons: number; rate: number | null; ceiling: number }
  reached: number
  reachedRate: number | null
  reachedFirstAttempt: number
  inFlight: Record<string, number>
  window?: { open: boolean; closesAt: string | null; nextOpensAt: string | null }
}

/** The upload's answer: the importer's report as the API sends it. */
export type { ImportReport } from '../../../domain/campaign.js'

/** The status changes and the states they come from (TRANSITIONS of the routes). */
export const ACTIONS: ReadonlyArray<{ action: 'start' | 'pause' | 'resume' | 'stop'; label: string; from: readonly CampaignStatus[]; kind?: string }> = [
  { action: 'start', label: 'Start', from: ['draft'] },
  { action: 'pause', label: 'Pause', from: ['running'], kind: 'secondary' },
  { action: 'resume', label: 'Resume', from: ['paused'] },
  { action: 'stop', label: 'Stop', from: ['draft', 'running', 'paused'], kind: 'danger' },
]

/** Lists are uploaded to draft or paused campaigns only. */
export const UPLOAD_STATUSES: readonly CampaignStatus[] = ['draft', 'paused']

const BADGE: Record<CampaignStatus, string> = { draft: '', running: 'ok', paused: 'warn', stopped: 'bad', completed: 'ok' }
export const badgeClass = (s: CampaignStatus) => `badge status ${BADGE[s] ?? ''}`.trim()

/** '2026-11-23T09:05:00.000Z' -> '23/11 10:05' in the campaign's zone (default the browser's). */
export function when(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '–'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '–'
  const f = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) })
  return f.format(d).replace(',', '')
}
