/**
 * The desk's escalation forms: a ticket for the regional consultancy centre and an appointment
 * with an agency official (POST /api/escalations/tickets, /appointments), prefilled from the
 * call (its section when tickets may name it, the reference the caller typed, the call id), the
 * id of what was created shown.
 */
import { api, ApiError } from '../../lib/api.js'
import { flash, h } from '../../lib/dom.js'

export interface Prefill {
  callId?: string
  section?: string
  /** What the caller typed, by name (the first value becomes the reference). */
  given?: Record<string, string>
  trail?: string[]
}

interface Created {
  id: string
  kind: string
}

const message = (err: unknown) => {
  if (err instanceof ApiError) {
    const fields = (err.details as { errors?: Array<{ path?: string; message?: string }> } | undefined)?.errors
    return fields?.length ? `${err.message}: ${fields.map((f) => `${f.path ?? ''} ${f.message ?? ''}`.trim()).join('; ')}` : err.message
  }
  return (err as Error).message
}

const opt = (v: string) => (v.trim() === '' ? undefined : v.trim())

function citizenFields() {
  const reference = h('input', { name: 'reference', maxlength: 64 })
  const name = h('input', { name: 'name', maxlength: 200 })
  const phone = h('input', { name: 'phone', inputmode: 'tel', pattern: '\\+?[0-9][0-9 ]{4,19}' })
  return {
    reference,
    name,
    phone,
    value: () => ({ reference: opt(reference.value), name: opt(name.value), phone: opt(phone.value) }),
    els: [h('label', {}, 'Citizen reference (fiscal code, request number)', reference), h('label', {}, 'Name', name), h('label', {}, 'Phone', phone)],
  }
}

/** The ticket and appointment forms; `prefill` is called when the desk's call changes. */
export function escalationForms(sections: string[]): { el: HTMLElement; prefill(p: Prefill): void } {
  let callId: string | undefined
  const sectionSelect = (required: boolean) =>
    h('select', { name: 'section', required }, required ? null : h('option', { value: '' }, '—'), sections.map((s) => h('option', { value: s }, s)))

  // Ticket
  const tSection = sectionSelect(true)
  const tSubject = h('input', { name: 'subject', required: true, maxlength: 200 })
  const tDescription = h('textarea', { name: 'description', rows: 3, maxlength: 4000 })
  const tCitizen = citizenFields()
  const tStatus = h('p', { role: 'status', class: 'flash', 'data-testid': 'ticket-result' })
  const ticket = h(
    'form',
    {
      class: 'card desk-form',
      'data-testid': 'ticket-form',
      onsubmit: (e: Event) => {
        e.preventDefault()
        const citizen = tCitizen.value()
        const body = { section: tSection.value, subject: tSubject.value.trim(), ...(opt(tDescription.value) ? { description: tDescription.value.trim() } : {}), citizen, ...(callId ? { callId } : {}) }
        flash(tStatus, 'Opening the ticket…')
        api.post<Created>('/api/escalations/tickets', body).then(
          (r) => flash(tStatus, `Ticket ${r.id} opened`, 'ok'),
          (err: unknown) => flash(tStatus, `Ticket not opened: ${message(err)}`, 'error'),
        )
      },
    },
    h('h2', {}, 'Ticket for the consultancy centre'),
    h('label', {}, 'Section', tSection),
    h('label', {}, 'Subject', tSubject),
    h('label', {}, 'Description', tDescription),
    tCitizen.els,
    h('button', { type: 'submit' }, 'Open ticket'),
    tStatus,
  )

  // Appointment
  const aStarts = h('input', { name: 'startsAt', type: 'datetime-local', required: true })
  const aDuration = h('input', { name: 'durationMin', type: 'number', min: 5, max: 480, value: 30 })
  const aOffice = h('input', { name: 'office', required: true, maxlength: 200 })
  const aSection = sectionSelect(false)
  const aNotes = h('textarea', { name: 'notes', rows: 2, maxlength: 2000 })
  const aCitizen = citizenFields()
  aCitizen.reference.required = true
  const aStatus = h('p', { role: 'status', class: 'flash', 'data-testid': 'appointment-result' })
  const appointment = h(
    'form',
    {
      class: 'card desk-form',
      'data-testid': 'appointment-form',
      onsubmit: (e: Event) => {
        e.preventDefault()
        const at = new Date(aStarts.value)
        if (Number.isNaN(at.getTime())) return flash(aStatus, 'Give the date and time of the appointment.', 'error')
        const body = {
          startsAt: at.toISOString(),
          durationMin: Number(aDuration.value) || 30,
          office: aOffice.value.trim(),
          ...(aSection.value ? { section: aSection.value } : {}),
          ...(opt(aNotes.value) ? { notes: aNotes.value.trim() } : {}),
          citizen: aCitizen.value(),
          ...(callId ? { callId } : {}),
        }
        flash(aStatus, 'Booking…')
        api.post<Created>('/api/escalations/appointments', body).then(
          (r) => flash(aStatus, `Appointment ${r.id} booked`, 'ok'),
          (err: unknown) => flash(aStatus, `Appointment not booked: ${message(err)}`, 'error'),
        )
      },
    },
    h('h2', {}, 'Appointment with an official'),
    h('div', { class: 'row' }, h('label', {}, 'Starts at', aStarts), h('label', {}, 'Minutes', aDuration)),
    h('label', {}, 'Office', aOffice),
    h('label', {}, 'Section', aSection),
    h('label', {}, 'Notes', aNotes),
    aCitizen.els,
    h('button', { type: 'submit' }, 'Book appointment'),
    aStatus,
  )

  return {
    el: h('div', { class: 'grid' }, ticket, appointment),
    prefill(p) {
      callId = p.callId
      const escalable = p.section && sections.includes(p.section) ? p.section : undefined
      if (escalable) {
        tSection.value = escalable
        aSection.value = escalable
      }
      const reference = Object.values(p.given ?? {})[0]
      for (const c of [tCitizen, aCitizen]) c.reference.value = reference ?? ''
      tSubject.value = p.section ? `Call for ${p.section}` : ''
      const given = Object.entries(p.given ?? {}).map(([k, v]) => `${k}: ${v}`)
      tDescription.value = [p.trail?.length ? `Menu: ${p.trail.join(' › ')}` : '', given.length ? `Typed: ${given.join(', ')}` : ''].filter(Boolean).join('\n')
      aNotes.value = tDescription.value
      tStatus.textContent = ''
      aStatus.textContent = ''
    },
  }
}
