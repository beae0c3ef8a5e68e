import t from 'tap'
import { callersAhead, nextRoutingChange, planAssignments, requirementOf, sectionMap, servingAgents } from '../../src/acd/routing.js'
import type { AgentRecord, QueueEntry, SectionDef } from '../../src/domain/acd.js'
import { agentRec, entry, section } from '../helpers/acd-fixtures.js'

const S = 1000
const skilled = (id: string, skills: Record<string, number>, over: Partial<AgentRecord> = {}) => agentRec(id, [], { skills, ...over })
const ids = (plan: Array<{ callId: string; agentId: string }>) => plan.map((p) => `${p.callId}>${p.agentId}`)

t.test('without section rules: the longest-idle ready member of the section takes the first caller', async (t) => {
  const plan = planAssignments(
    [entry('c1', 'pens', { enteredAt: 10 }), entry('c2', 'pens', { enteredAt: 5 })],
    [agentRec('a', ['pens'], { idleSince: 300 }), agentRec('b', ['pens'], { idleSince: 100 }), agentRec('c', ['pens'], { state: 'paused', idleSince: 1 })],
  )
  t.same(plan, [
    { callId: 'c2', section: 'pens', agentId: 'b' },
    { callId: 'c1', section: 'pens', agentId: 'a' },
  ])
})

t.test('priority beats time; agents only serve their sections', async (t) => {
  const plan = planAssignments(
    [entry('old', 'pens', { enteredAt: 1 }), entry('vip', 'pens', { enteredAt: 50, priority: 5 }), entry('inc', 'income', { enteredAt: 0 })],
    [agentRec('a', ['pens'], { idleSince: 5 })],
  )
  t.same(plan, [{ callId: 'vip', section: 'pens', agentId: 'a' }])
})

t.test('an agent in two sections goes to the best caller among them', async (t) => {
  const plan = planAssignments([entry('p', 'pens', { enteredAt: 20 }), entry('i', 'income', { enteredAt: 10 })], [agentRec('a', ['pens', 'income'])])
  t.same(plan, [{ callId: 'i', section: 'income', agentId: 'a' }])
})

t.test('offered entries and busy agents are skipped; nothing to do without ready agents', async (t) => {
  t.same(planAssignments([entry('c', 's')], [agentRec('a', ['s'], { state: 'on_call' })]), [])
  t.same(planAssignments([entry('c', 's', { status: 'offered' })], [agentRec('a', ['s'])]), [])
  t.same(planAssignments([], [agentRec('a', ['s'])]), [])
})

const pens = section('pens', {
  skills: { pensions: 3 },
  languages: { en: 2 },
  relax: [
    { afterSec: 120, minLevel: 1 },
    { afterSec: 240, minLevel: 1, dropCallerSkills: true },
  ],
  overflow: [{ afterSec: 300, to: 'ops' }],
})
const ops = section('ops', { operator: true })
const sections = [pens, ops]

t.test('skills: members always, non-members with every required skill at the level, nobody else', async (t) => {
  const agents = [
    agentRec('member', ['pens'], { idleSince: 1 }),
    skilled('expert', { pensions: 4 }, { idleSince: 2 }),
    skilled('novice', { pensions: 2 }, { idleSince: 0 }),
    skilled('other', { income: 5 }, { idleSince: 0 }),
  ]
  const es = [entry('c1', 'pens', { enteredAt: 0 }), entry('c2', 'pens', { enteredAt: 1 }), entry('c3', 'pens', { enteredAt: 2 })]
  const plan = planAssignments(es, agents, { sections, now: 10 * S })
  t.same(ids(plan), ['c1>expert', 'c2>member'], 'the expert (score 4) before the member (score 0); the novice and the other wait')
  t.same(
    servingAgents(es[0]!, agents, { sections, now: 10 * S }).map((a) => a.id),
    ['member', 'expert'],
  )
})

t.test('relaxation: after 120 s any level of the skill will do', async (t) => {
  const agents = [skilled('novice', { pensions: 1 })]
  const c = entry('c', 'pens', { enteredAt: 0 })
  t.same(planAssignments([c], agents, { sections, now: 119_999 }), [], 'not yet')
  t.same(ids(planAssignments([c], agents, { sections, now: 120 * S })), ['c>novice'])
  t.same(requirementOf(c, sectionMap(sections), 120 * S).sectionSkills, [['pensions', 1]])
  t.same(requirementOf(c, sectionMap(sections), 0).sectionSkills, [['pensions', 3]])
})

t.test('languages: an English caller needs an English speaker, members included, until the requirement is dropped', async (t) => {
  const agents = [agentRec('member', ['pens'], { idleSince: 0 }), skilled('bilingual', { pensions: 3, en: 3 }, { idleSince: 5 })]
  const en = entry('en', 'pens', { enteredAt: 0, lang: 'en' })
  const it = entry('it', 'pens', { enteredAt: 1, lang: 'it' })
  t.same(ids(planAssignments([en, it], agents, { sections, now: 10 * S })), ['en>bilingual', 'it>member'])
  t.same(planAssignments([en], [agents[0]!], { sections, now: 200 * S }), [], 'relaxed levels still need the language')
  t.same(ids(planAssignments([en], [agents[0]!], { sections, now: 240 * S })), ['en>member'], 'dropCallerSkills lifts it')
  // Skills asked by the flow work the same way.
  const flow = entry('f', 'pens', { enteredAt: 0, callerSkills: { disability: 2 } })
  t.same(planAssignments([flow], agents, { sections, now: 10 * S }), [])
  t.same(ids(planAssignments([flow], [...agents, skilled('d', { pensions: 3, disability: 2 })], { sections, now: 10 * S })), ['f>d'])
})

t.test('overflow: after 300 s the switchboard may take the caller, but the section\'s own agents come first', async (t) => {
  const operator = agentRec('op', ['ops'], { idleSince: 0 })
  const c = entry('c', 'pens', { enteredAt: 0 })
  t.same(planAssignments([c], [operator], { sections, now: 299 * S }), [])
  t.same(ids(planAssignments([c], [operator], { sections, now: 300 * S })), ['c>op'])
  const own = agentRec('own', ['pens'], { idleSince: 50 })
  t.same(ids(planAssignments([c], [operator, own], { sections, now: 300 * S })), ['c>own'], 'home agent before overflow agent, even idle for less time')
  t.same(requirementOf(c, sectionMap(sections), 300 * S).overflowTo, ['ops'])
})

t.test('among eligible agents: best-skilled (sum over the needed skills), then longest idle', async (t) => {
  const s = [section('pens', { skills: { pensions: 2 }, languages: { en: 1 } })]
  const agents = [
    skilled('p3', { pensions: 3 }, { idleSince: 0 }),
    skilled('p5', { pensions: 5 }, { idleSince: 100 }),
    skilled('p5b', { pensions: 5 }, { idleSince: 50 }),
    skilled('p3en3', { pensions: 3, en: 3 }, { idleSince: 0 }),
  ]
  const it = (id: string, at: number) => entry(id, 'pens', { enteredAt: at })
  t.same(ids(planAssignments([it('a', 0), it('b', 1), it('c', 2), it('d', 3)], agents, { sections: s, now: 5 * S })), ['a>p5b', 'b>p5', 'c>p3', 'd>p3en3'], 'for Italian callers en does not count; ties by idle time')
  const en = entry('e', 'pens', { enteredAt: 0, lang: 'en' })
  t.same(ids(planAssignments([en], agents, { sections: s, now: 5 * S })), ['e>p3en3'], 'only the English speaker is eligible')
})

t.test('priority first, then wait, across relaxation', async (t) => {
  const agents = [skilled('a', { pensions: 3 })]
  const plan = planAssignments(
    [entry('old', 'pens', { enteredAt: 0 }), entry('vip', 'pens', { enteredAt: 100 * S, priority: 2 }), entry('new', 'pens', { enteredAt: 50 * S })],
    agents,
    { sections, now: 130 * S },
  )
  t.same(ids(plan), ['vip>a'])
})

t.test('continuity: the last agent takes the returning caller first, holds it while busy, not after holdSec', async (t) => {
  const c = section('pens', { skills: { pensions: 1 }, continuity: { withinSec: 86400, holdSec: 30 } })
  const ctx = (now: number) => ({ sections: [c], now })
  const first = entry('first', 'pens', { enteredAt: 0 })
  const back = entry('back', 'pens', { enteredAt: 10 * S, preferredAgent: 'last', preferredUntil: 40 * S })
  // The preferred agent is ready: it takes its returning caller, although another came first.
  const ready = [skilled('last', { pensions: 1 }, { idleSince: 9 }), skilled('other', { pensions: 1 }, { idleSince: 0 })]
  t.same(ids(planAssignments([first, back], ready, ctx(11 * S))), ['back>last', 'first>other'])
  // The preferred agent is on a call: nobody else takes the caller during the hold.
  const busy = [skilled('last', { pensions: 1 }, { state: 'on_call' }), skilled('other', { pensions: 1 }), skilled('third', { pensions: 1 }, { idleSince: 1 })]
  t.same(ids(planAssignments([first, back], busy, ctx(11 * S))), ['first>other'], 'third stays free: the caller is held')
  // The hold has run out: normal routing.
  t.same(ids(planAssignments([first, back], busy, ctx(40 * S))), ['first>other', 'back>third'])
  // The preferred agent is paused or logged out: no hold at all.
  const paused = [skilled('last', { pensions: 1 }, { state: 'paused' }), skilled('other', { pensions: 1 })]
  t.same(ids(planAssignments([back], paused, ctx(11 * S))), ['back>other'])
  t.same(ids(planAssignments([back], [skilled('other', { pensions: 1 })], ctx(11 * S))), ['back>other'], 'an unknown agent holds nothing')
  // The preferred agent is not eligible for this section: no hold.
  const notEligible = [skilled('last', { income: 3 }), skilled('other', { pensions: 1 })]
  t.same(ids(planAssignments([back], notEligible, ctx(11 * S))), ['back>other'])
  // Two callers held for the same agent: service order among them.
  const back2 = entry('back2', 'pens', { enteredAt: 5 * S, preferredAgent: 'last', preferredUntil: 40 * S })
  t.same(ids(planAssignments([back, back2], [skilled('last', { pensions: 1 })], ctx(11 * S))), ['back2>last'])
})

t.test('nextRoutingChange: the next relax or overflow step, or the end of a hold', async (t) => {
  const es: QueueEntry[] = [entry('a', 'pens', { enteredAt: 0 }), entry('b', 'pens', { enteredAt: 100 * S, preferredAgent: 'x', preferredUntil: 130 * S })]
  t.equal(nextRoutingChange(es, sections, 10 * S), 120 * S)
  t.equal(nextRoutingChange(es, sections, 120 * S), 130 * S, 'b hold ends')
  t.equal(nextRoutingChange(es, sections, 130 * S), 220 * S, "b's first relax step")
  t.equal(nextRoutingChange(es, sections, 400 * S), undefined)
  t.equal(nextRoutingChange([entry('o', 'pens', { status: 'offered' })], sections, 0), undefined, 'offered entries wait for their agent')
})

t.test('callers ahead without agents: service order', async (t) => {
  const es = [entry('a', 's', { enteredAt: 3 }), entry('b', 's', { enteredAt: 1 }), entry('c', 's', { enteredAt: 2, priority: 1 })]
  t.equal(callersAhead(es, 'c'), 0)
  t.equal(callersAhead(es, 'b'), 1)
  t.equal(callersAhead(es, 'a'), 2)
  t.equal(callersAhead(es, 'zz'), undefined)
})

t.test('callers ahead: only earlier callers who compete for the same agents', async (t) => {
  const defs: SectionDef[] = [section('pens'), section('inc'), section('cont')]
  const agents = [agentRec('p', ['pens']), agentRec('pi', ['pens', 'inc']), agentRec('c', ['cont'])]
  const es = [
    entry('inc1', 'inc', { enteredAt: 0 }), // served by pi, who also serves pens: ahead of pens callers
    entry('cont1', 'cont', { enteredAt: 1 }), // its agent serves nobody else: ahead of no pens caller
    entry('pens1', 'pens', { enteredAt: 2 }),
    entry('pens2', 'pens', { enteredAt: 3 }),
    entry('inc2', 'inc', { enteredAt: 4 }),
  ]
  const ctx = { sections: defs, now: 10 * S, agents }
  t.equal(callersAhead(es, 'pens1', ctx), 1, 'inc1 only')
  t.equal(callersAhead(es, 'pens2', ctx), 2, 'inc1 and pens1')
  t.equal(callersAhead(es, 'inc2', ctx), 3, 'inc1, pens1, pens2 (all may take pi)')
  t.equal(callersAhead(es, 'cont1', ctx), 0, 'a section of its own')
  // Agents logged out or paused do not link pools; if nobody present can serve, all agents count.
  const away = agents.map((a) => (a.id === 'pi' ? { ...a, state: 'logged_out' as const } : a))
  t.equal(callersAhead(es, 'pens2', { ...ctx, agents: away }), 1, 'with pi away, inc1 no longer competes')
  const allAway = agents.map((a) => ({ ...a, state: 'paused' as const }))
  t.equal(callersAhead(es, 'pens2', { ...ctx, agents: allAway }), 2, 'nobody present: as if all were')
  t.equal(callersAhead(es, 'pens2', { ...ctx, agents: [] }), 1, 'nobody at all: its own section only')
})

t.test('callers ahead: skills and languages decide the overlap', async (t) => {
  const defs = [section('pens', { skills: { pensions: 3 }, languages: { en: 2 } })]
  const agents = [skilled('it', { pensions: 4 }), skilled('bi', { pensions: 3, en: 3 })]
  const es = [entry('en1', 'pens', { enteredAt: 0, lang: 'en' }), entry('it1', 'pens', { enteredAt: 1 }), entry('en2', 'pens', { enteredAt: 2, lang: 'en' })]
  const ctx = { sections: defs, now: 10 * S, agents }
  t.equal(callersAhead(es, 'it1', ctx), 1, 'en1 may take bi, one of its agents')
  t.equal(callersAhead(es, 'en2', ctx), 2, 'both may take bi, the only agent en2 can have')
})

t.test('callers ahead: offered callers and continuity holds', async (t) => {
  const defs = [section('pens')]
  const agents = [agentRec('a', ['pens'], { state: 'reserved' }), agentRec('b', ['pens'], { state: 'on_call' })]
  const ctx = { sections: defs, now: 10 * S, agents }
  // Offered to one of its agents: served before it, whatever the order.
  const offered = entry('o', 'pens', { enteredAt: 5 * S, status: 'offered', offeredTo: 'a' })
  const me = entry('me', 'pens', { enteredAt: 1 * S })
  t.equal(callersAhead([offered, me], 'me', ctx), 1)
  t.equal(callersAhead([{ ...offered, offeredTo: 'elsewhere' }, me], 'me', ctx), 0, 'offered to an agent it could not have')
  // Held for one of its agents, though later: the preferred agent takes it first.
  const held = entry('h', 'pens', { enteredAt: 5 * S, preferredAgent: 'b', preferredUntil: 20 * S })
  t.equal(callersAhead([held, me], 'me', ctx), 1)
  t.equal(callersAhead([held, me], 'me', { ...ctx, now: 20 * S }), 0, 'hold over: back to service order')
  // Itself held: only callers held for the same agent and ahead of it.
  const meHeld = { ...me, enteredAt: 4 * S, preferredAgent: 'b', preferredUntil: 20 * S }
  const early = entry('early', 'pens', { enteredAt: 0 })
  const heldEarly = entry('he', 'pens', { enteredAt: 2 * S, preferredAgent: 'b', preferredUntil: 20 * S })
  t.equal(callersAhead([early, heldEarly, meHeld, held], 'me', ctx), 1)
})

t.test('many callers and agents: every ready agent used once, each caller at most once', async (t) => {
  const defs = [section('a', { skills: { x: 2 } }), section('b', { skills: { y: 1 } }), section('ops', { operator: true })]
  const agents: AgentRecord[] = []
  for (let i = 0; i < 200; i++) agents.push(skilled(`ag${i}`, { x: 1 + (i % 5), y: 1 + ((i * 7) % 5) }, { state: i % 3 === 0 ? 'on_call' : 'ready', idleSince: (i * 13) % 97 }))
  const es: QueueEntry[] = []
  for (let i = 0; i < 1000; i++) es.push(entry(`c${i}`, i % 2 ? 'a' : 'b', { enteredAt: i, priority: i % 10 === 0 ? 1 : 0 }))
  const plan = planAssignments(es, agents, { sections: defs, now: 5000 })
  t.equal(new Set(plan.map((p) => p.agentId)).size, plan.length)
  t.equal(new Set(plan.map((p) => p.callId)).size, plan.length)
  const ready = agents.filter((a) => a.state === 'ready')
  t.equal(plan.length, ready.length, 'every ready agent takes someone (each holds y >= 1)')
  for (const p of plan) {
    const a = agents.find((x) => x.id === p.agentId)!
    if (p.section === 'a') t.ok((a.skills!.x ?? 0) >= 2, `${p.agentId} has x >= 2`)
  }
})
