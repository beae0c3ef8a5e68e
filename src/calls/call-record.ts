/**
 * A call's record in the store (what another engine needs to resume it), written as the call
 * moves on: in order and coalesced — one write in flight at most, the latest state written
 * next — and deleted when the call ends. A failing store is logged and the call goes on.
 */
import type { Logger } from '../domain/log.js'
import type { CallRecord, CallStore } from '../domain/store.js'

export class CallRecorder {
  private record: CallRecord | undefined
  private writing: Promise<void> | undefined
  private dirty = false

  constructor(
    private readonly calls: CallStore | undefined,
    private readonly log: Logger,
    /** The record's first version, built when the first change is written. */
    private readonly initial: () => CallRecord,
  ) {}

  /** The record as last written (or loaded), if any. */
  get current(): CallRecord | undefined {
    return this.record
  }

  /** Starts from a record a previous engine wrote (the call is being resumed). */
  load(rec: CallRecord): void {
    this.record = { ...rec }
  }

  /** Merges `patch` into the record and schedules its write. */
  update(patch: Partial<CallRecord>, now: number): void {
    const calls = this.calls
    if (!calls) return
    this.record = { ...(this.record ?? this.initial()), ...patch, updatedAt: now }
    this.dirty = true
    if (this.writing) return
    const loop = async () => {
      while (this.dirty && this.record) {
        this.dirty = false
        await calls.put(this.record).catch((err: unknown) => this.log.error({ err }, 'could not save the call record; the call goes on'))
      }
      this.writing = undefined
    }
    this.writing = loop()
  }

  /** Waits for the write in flight (the record stays: the call is handed over). */
  async settle(): Promise<void> {
    await this.writing
  }

  /** The call ended: no more writes, and the record is deleted. */
  async forget(callId: string): Promise<void> {
    this.dirty = false
    await this.writing
    if (this.record && this.calls) await this.calls.delete(callId).catch((err: unknown) => this.log.error({ err }, 'could not delete the call record'))
  }
}
