/** The route table's shape: one entry per ARI operation the simulator serves. */
import type { Sim } from '../core.js'
import type { Params } from '../http/params.js'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface ParamSpec {
  name: string
  in: 'path' | 'query' | 'body'
  required?: boolean
  multiple?: boolean
  type: string
  description: string
  values?: string[]
}

export interface ApiResult {
  status: number
  /** JSON text of the body; absent for 204. */
  json?: string
  headers?: Array<[string, string]>
}

export interface ApiRequest {
  sim: Sim
  path: Record<string, string>
  p: Params
}

export interface RouteSpec {
  api: string
  path: string
  method: Method
  nickname: string
  summary: string
  responseClass: string
  params: ParamSpec[]
  errors: Array<[number, string]>
  handle(r: ApiRequest): ApiResult | Promise<ApiResult>
}

export const ok = (body: unknown): ApiResult => ({ status: 200, json: JSON.stringify(body) })
export const okJson = (json: string): ApiResult => ({ status: 200, json })
export const noContent = (): ApiResult => ({ status: 204 })
export const err = (status: number, message: string): ApiResult => ({ status, json: JSON.stringify({ message }) })

/** Shorthands for parameter specs. */
export const pathParam = (name: string, description: string): ParamSpec => ({ name, in: 'path', required: true, type: 'string', description })
export const q = (name: string, description: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ name, in: 'query', type: 'string', description, ...extra })
export const bodyParam = (name: string, description: string, type = 'containers'): ParamSpec => ({ name, in: 'body', type, description })
