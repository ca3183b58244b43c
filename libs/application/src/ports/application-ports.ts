import type { EventStore, StoredEvent } from '#event-store/port';
import type { FollowUps } from '../workflows/follow-ups.js';
import type { RetroactivityReads } from './retroactivity-reads.js';

/** The time now: the system's, or a test's, so that time-based rules (sign-in lock-outs, token expiry) are tested without waiting. */
export type Clock = () => Date;

/**
 * SQL on the application's own tables (accounts, the log of personal-data reads), never on read
 * models: a PostgreSQL pool fits as it is.
 */
export interface Sql {
  /** Each caller names the shape of its rows. */
  query<Row extends object = object>(text: string, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/** The per-person keys: the keyed hash naming national id reservations, and erasure. */
export interface PersonalDataKeyring {
  /** A keyed hash of the number, so that a stream name does not reveal it. */
  reservationKey(nationalId: string): string;
  /** Destroys the person's key: their sealed personal data can no longer be opened. */
  erase(beneficiaryId: string): Promise<void>;
}

/** Short secrets (second-factor seeds), each sealed for its owner: the database holds them only sealed. */
export interface SecretSealing {
  seal(secret: string, owner: string): string;
  open(sealed: string, owner: string): string;
}

/** Where a password the system generated is kept, out of the logs; returns where, for the log line that says where to look. */
export interface GeneratedSecrets {
  keep(label: string, secret: string): string;
}

export interface AuthConfig {
  /** The administrator created on first start, when no user of that name exists yet. */
  readonly adminUsername: string;
  /** Absent: a random password is generated and kept (see GeneratedSecrets), when the administrator is created. */
  readonly adminPassword?: string;
  /** Key that signs access tokens; absent: a random key per process (tokens end with the process). */
  readonly tokenSecret?: string;
  /** Keys that signed tokens before `tokenSecret` replaced them: still accepted until those tokens expire. */
  readonly previousTokenSecrets?: readonly string[];
  readonly tokenTtlMinutes: number;
  /**
   * The province whose users the tokens are for (their `aud`): provinces may share a signing key,
   * and a token of one is still refused by every other.
   */
  readonly audience: string;
}

/** What one uploaded beneficiary list may hold; a file passing any of them is refused unread. */
export interface ImportLimits {
  /** Rows of the sheet, headings included. */
  readonly maxRows: number;
  /** Cells holding a value. */
  readonly maxCells: number;
  /** Bytes of any part of the workbook read (the sheet, its shared strings, styles), as declared and as inflated. */
  readonly maxSheetBytes: number;
}

/**
 * What the system does because of an event on another aggregate (a payout scheduled because a
 * claim was approved); `react` must be idempotent. `name` names its checkpoint.
 */
export interface Reaction {
  readonly name: string;
  readonly eventTypes: readonly string[];
  react(event: StoredEvent): Promise<void>;
}

/** A reaction run over the log from a checkpoint of its own: settled on demand, and in the background until stopped. */
export interface DurableReaction extends FollowUps {
  start(): void;
  stop(): Promise<void>;
}

/** Runs reactions durably (the projection runner's reactor); `label` names it in the logs. */
export interface Reactions {
  durably(reaction: Reaction, label: string): DurableReaction;
}

/** The settings the use cases read; the process's configuration holds them among others. */
export interface ApplicationConfig {
  /** Where the policy catalog files (and `administrative-units/`) are published from on start. */
  readonly policyDir: string;
  readonly auth: AuthConfig;
  readonly imports: ImportLimits;
}

/**
 * Everything the application needs from outside, which the composition root provides (the
 * runtime is one): the application module turns each into a Nest provider under its token.
 */
export interface ApplicationPorts {
  readonly config: ApplicationConfig;
  /** The log as the application sees it: personal fields sealed on append and opened on read, every event in today's schema. */
  readonly store: EventStore;
  readonly pool: Sql;
  readonly retroactivityReads: RetroactivityReads;
  readonly personalData: PersonalDataKeyring;
  readonly secondFactorSecrets: SecretSealing;
  readonly generatedSecrets: GeneratedSecrets;
  readonly clock: Clock;
  readonly reactions: Reactions;
}

export const APPLICATION_CONFIG = Symbol('ApplicationConfig');
export const SQL = Symbol('Sql');
export const RETROACTIVITY_READS = Symbol('RetroactivityReads');
export const PERSONAL_DATA = Symbol('PersonalDataKeyring');
export const SECOND_FACTOR_SECRETS = Symbol('SecondFactorSecrets');
export const GENERATED_SECRETS = Symbol('GeneratedSecrets');
export const CLOCK = Symbol('Clock');
export const REACTIONS = Symbol('Reactions');
/** How an append to the log ended: `conflict` when another writer had moved the stream on. */
export type AppendOutcome = 'appended' | 'conflict' | 'failed';

/** What a process measures of its commands (the runtime's metrics): told of every append and every retry. */
export interface CommandObserver {
  appended(seconds: number, outcome: AppendOutcome): void;
  retried(): void;
}

/** Optional: the runtime provides it when metrics are on. */
export const COMMAND_OBSERVER = Symbol('CommandObserver');
