/**
 * Prompt items and ${var} references: listing the catalogue ids and variables a prompt list
 * uses (for validation) and resolving a list against the call's variables (at run time).
 * Numbers or digits that resolve to nothing are dropped rather than played empty.
 */
import type { PromptItem, ResolvedPrompt } from './types.js'

const REF = /\$\{([^}]*)\}/g

/** Variables always available: set by the engine when the flow starts. */
export const BUILTIN_VAR_PREFIXES = ['call.', 'caller.', 'contact.'] as const

export function isBuiltinVar(name: string): boolean {
  return BUILTIN_VAR_PREFIXES.some((p) => name.startsWith(p))
}

/** Names referenced as ${name} in s. */
export function varRefs(s: string): string[] {
  return [...s.matchAll(REF)].map((m) => m[1]!.trim())
}

/** s with each ${name} replaced by vars[name] ('' when unset). */
export function substitute(s: string, vars: Readonly<Record<string, string>>): string {
  return s.replace(REF, (_, name: string) => vars[name.trim()] ?? '')
}

export function promptId(item: PromptItem): string | undefined {
  return typeof item === 'string' ? item : undefined
}

/** The text of a number/digits item (undefined for catalogue prompts). */
export function promptValue(item: PromptItem): string | undefined {
  if (typeof item === 'string') return undefined
  return 'number' in item ? item.number : item.digits
}

export function resolvePrompts(items: readonly PromptItem[], vars: Readonly<Record<string, string>>): ResolvedPrompt[] {
  const out: ResolvedPrompt[] = []
  for (const item of items) {
    if (typeof item === 'string') {
      out.push({ kind: 'prompt', id: item })
      continue
    }
    const isNumber = 'number' in item
    const value = substitute(isNumber ? item.number : item.digits, vars).trim()
    if (value === '') continue
    out.push(isNumber ? { kind: 'number', value } : { kind: 'digits', value })
  }
  return out
}
