/**
 * What the engine plays to a caller, and how it becomes ARI media URIs.
 * Catalogue prompts live under the sounds directory as centralino/<id> per language
 * (e.g. it/centralino/welcome.wav); numbers and digits use Asterisk's own playback in the
 * channel's language.
 */

export type MediaItem = { kind: 'prompt'; id: string } | { kind: 'number'; value: string } | { kind: 'digits'; value: string }

export const PROMPT_PREFIX = 'centralino/'

export function mediaUri(item: MediaItem): string {
  switch (item.kind) {
    case 'prompt':
      return `sound:${PROMPT_PREFIX}${item.id}`
    case 'number':
      return `number:${item.value}`
    case 'digits':
      return `digits:${item.value}`
  }
}

export const prompt = (id: string): MediaItem => ({ kind: 'prompt', id })
