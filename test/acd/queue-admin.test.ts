/**
 * The supervisors' section figures count the agents the queue service would route to: the
 * configured sections and skills apply over the stored records, including skills the
 * configuration no longer gives (a record may still carry them).
 */
import t from 'tap'
import { configuredAgents } from '../../src/acd/queue-admin.js'
import { configuredAgent } from '../../src/domain/acd.js'
import { agentRec } from '../helpers/acd-fixtures.js'

t.test('the configuration applies over the stored record, skills removed included', async (t) => {
  const stored = agentRec('op1', ['operators'], { skills: { pensions: 4 } })
  t.same(configuredAgent(stored, { id: 'op1', name: 'A', endpoint: 'PJSIP/op1', sections: ['operators', 'pensions'], skills: { pensions: 2 } }), { ...stored, sections: ['operators', 'pensions'], skills: { pensions: 2 } })
  const noSkills = configuredAgent(stored, { id: 'op1', name: 'A', endpoint: 'PJSIP/op1', sections: ['operators'] })
  t.equal(noSkills.skills, undefined, 'a skill taken away in the configuration is not counted from the old record')
  t.equal(configuredAgent(stored, undefined), stored, 'an agent without configuration is its record')
  t.same(
    configuredAgents([stored, agentRec('op2', ['pensions'])], [{ id: 'op1', name: 'A', endpoint: 'PJSIP/op1', sections: ['operators'] }]).map((a) => [a.id, a.sections, a.skills]),
    [
      ['op1', ['operators'], undefined],
      ['op2', ['pensions'], agentRec('op2', ['pensions']).skills],
    ],
  )
})
