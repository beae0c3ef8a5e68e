/**
 * The voice-portal flow language, as the rest of the engine uses it: compile a flow, build its
 * machine, keep flows loaded and reloaded, call the back office, list a flow's paths.
 */
export { compileFlow, flowVersion, type CompileOptions } from './compile.js'
export { createFlowMachine, flowSetup, resultVars, type FlowMachine, type FlowMachineDeps } from './machine.js'
export { FlowRegistry, type FlowRegistryOptions, type FlowRejection, type FlowReload, type ReloadResult } from './registry.js'
export { backOfficeActor, createHttpBackOffice, type BackOfficeCall, type HttpBackOfficeOptions } from './backoffice.js'
export { loadCatalogue, parseCatalogue, promptText, readCatalogue } from './catalogue.js'
export { flowPaths, formatPath, formatPaths, type FlowPath } from './paths.js'
export { resolvePrompts } from './prompts.js'
export * from './types.js'
