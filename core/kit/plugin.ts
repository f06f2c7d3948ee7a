// The plugin contract: what a plugin module exports and what each kind's `create` returns.
// Built-in plugins and user plugins use exactly this; plugins import only from core/kit.

import type { Static, TSchema } from "@sinclair/typebox";
import type { ChatRequest, ChatResult, Usage } from "./canonical.ts";
import type { Kit } from "./kit.ts";

export type PluginKind = "provider" | "auth" | "fee" | "classifier";

/** Who is calling: the result of authentication, read by routing rules as `key.*`. */
export interface Principal {
  keyId: string | null;
  name: string;
  tags: string[];
  /** Credit limit in nano-USD, or null for none. */
  creditLimit: number | null;
  /** Requests per minute the gateway lets through for this caller; absent or null for no limit. */
  rateLimit?: number | null;
}

/** What an auth plugin sees of the incoming HTTP request. */
export interface AuthRequest {
  headers: Headers;
  /** The key the client sent (`Authorization: Bearer` or `x-api-key`), if any. */
  key: string | null;
}

/** What a fee plugin knows of the endpoint that served the request. */
export interface EndpointInfo {
  id: string;
  provider: string;
  model: string;
  publicModel: string;
}

/** Cost figures are integers of nano-USD (1e-9 USD). */
export interface ProviderInstance {
  /** Calls the vendor. Returns a response, or an async iterable of events when `request.stream`. */
  chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  /** The vendor's model ids, if it can list them. */
  models?(signal: AbortSignal): Promise<string[]>;
  /**
   * The input tokens the vendor counts for this request, without generating (Anthropic's
   * count_tokens). Without it, `POST /v1/messages/count_tokens` answers with the gateway's estimate.
   */
  countTokens?(request: ChatRequest, signal: AbortSignal): Promise<number>;
  close?(): void | Promise<void>;
}

export interface AuthInstance {
  /** Returns the caller, or throws a 401/403 Switchyard error. */
  authenticate(request: AuthRequest): Principal | Promise<Principal>;
  close?(): void | Promise<void>;
}

export interface FeeInstance {
  /** The fee for one request, in nano-USD, given its usage and its upstream cost in nano-USD. */
  quote(usage: Usage, cost: number, principal: Principal, endpoint: EndpointInfo): number;
  close?(): void | Promise<void>;
}

export type ClassifierValue = string | number | boolean;

export interface ClassifierInstance {
  /** A fact for routing rules, read by the classifier's name in `when:`. */
  classify(request: ChatRequest, signal: AbortSignal): ClassifierValue | Promise<ClassifierValue>;
  /** The values it can return, when closed: lets the compiler reject `intent == "codng"`. */
  labels?: readonly string[];
  close?(): void | Promise<void>;
}

interface InstanceOf {
  provider: ProviderInstance;
  auth: AuthInstance;
  fee: FeeInstance;
  classifier: ClassifierInstance;
}

export interface PluginDefinition<K extends PluginKind = PluginKind, S extends TSchema = TSchema> {
  kind: K;
  name: string;
  description?: string;
  /** TypeBox schema of the plugin's settings in router.config.yaml (without `use`). */
  settings: S;
  create(settings: Static<S>, kit: Kit): InstanceOf[K] | Promise<InstanceOf[K]>;
}

export type ProviderPlugin<S extends TSchema = TSchema> = PluginDefinition<"provider", S>;
export type AuthPlugin<S extends TSchema = TSchema> = PluginDefinition<"auth", S>;
export type FeePlugin<S extends TSchema = TSchema> = PluginDefinition<"fee", S>;
export type ClassifierPlugin<S extends TSchema = TSchema> = PluginDefinition<"classifier", S>;

/** A plugin module's default export: the definition, or a function of the kit returning it. */
export type PluginExport = PluginDefinition | ((kit: Kit) => PluginDefinition);
