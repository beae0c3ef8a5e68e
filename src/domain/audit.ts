/**
 * The audit log of configuration changes made through the API: who (user and role), what
 * (action and target), when, and the old and new version of what changed. Append-only; read
 * newest first. Phone numbers in before/after are kept (the log is read by supervisors only);
 * nothing here is written to the application logs.
 */
export interface AuditEntry {
  id: string
  at: number
  user: string
  role: string
  /** e.g. 'campaign.create', 'campaign.update', 'campaign.start', 'optout.add'. */
  action: string
  /** What changed, e.g. 'campaign:info' or 'optout'. */
  target: string
  before?: unknown
  after?: unknown
}

export interface AuditLog {
  append(e: Omit<AuditEntry, 'id'>): Promise<AuditEntry>
  /** Newest first; `target` keeps the entries of one target. */
  list(o?: { limit?: number; target?: string }): Promise<AuditEntry[]>
}
