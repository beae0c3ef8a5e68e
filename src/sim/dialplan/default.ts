/**
 * The default dialplan: the contexts of the reference Asterisk (traces) and centralino's own
 * (inbound trunk calls and campaign AMD), as extensions.conf text.
 */
export const TRACE_DIALPLAN = `
[from-test]
exten => ivr,1,NoOp(from-test ivr \${CHANNEL})
 same => n,Answer()
 same => n,Stasis(switchboard)
 same => n,Hangup()

[sim-customers]
exten => answer,1,Ringing()
 same => n,Wait(1)
 same => n,Answer()
 same => n,Wait(30)
 same => n,Hangup()
exten => busy,1,Busy(5)
exten => noanswer,1,Ringing()
 same => n,Wait(60)
 same => n,Hangup()
exten => congestion,1,Congestion(5)
exten => machine,1,Answer()
 same => n,Playback(tt-monkeys)
 same => n,Playback(tt-monkeys)
 same => n,Hangup()

[sim-agents]
exten => agent,1,Answer()
 same => n,Wait(3600)
 same => n,Hangup()

[detect]
exten => amd,1,AMD()
 same => n,NoOp(AMD \${AMDSTATUS} \${AMDCAUSE})
 same => n,Stasis(switchboard,amd,\${AMDSTATUS},\${AMDCAUSE})
 same => n,Hangup()
`

export const CENTRALINO_DIALPLAN = `
[from-trunk]
exten => _X.,1,NoOp(inbound \${EXTEN})
 same => n,Stasis(centralino,inbound,\${EXTEN})
 same => n,Hangup()
exten => _+X.,1,NoOp(inbound \${EXTEN})
 same => n,Stasis(centralino,inbound,\${EXTEN})
 same => n,Hangup()

[centralino-amd]
exten => s,1,AMD()
 same => n,Stasis(centralino,amd,\${AMDSTATUS},\${AMDCAUSE})
 same => n,Hangup()
`

export const DEFAULT_DIALPLAN = TRACE_DIALPLAN + CENTRALINO_DIALPLAN
