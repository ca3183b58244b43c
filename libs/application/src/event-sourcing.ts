import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import pRetry, { AbortError } from 'p-retry';
import { type EventStore, type NewEvent, type StoredEvent, WrongExpectedRevision } from '#event-store/port';
import { canonicalJson, CURRENT_SCHEMA_VERSIONS, RuleViolated } from '#domain';
import { type Permission, PERMISSIONS, type Role } from './permissions.js';
import type { AppendOutcome, CommandObserver } from './ports/application-ports.js';

export { ROLES, type Role } from './permissions.js';

/** Who asked, and under which client-supplied command id (the idempotency key). */
export interface CommandContext {
  readonly actor: Actor;
  readonly commandId: string;
  /** The user action everything recorded belongs to: the command id of the request that started it. */
  readonly correlationId?: string;
  /** The event this command follows from, when the system issues it because of one (a payout scheduled on an approval). */
  readonly causationId?: string;
  /**
   * Who sent which request under `commandId` (see `requestFingerprint`), kept in the metadata of
   * what the command records: the same id later with another user or body is refused, not taken
   * for a retry. Absent for commands the system issues itself.
   */
  readonly requestFingerprint?: string;
}

/**
 * The context of a command's own follow-up on another stream (a command id belongs to one stream):
 * a command id of its own, derived so that a retry derives it again, in the same user action.
 */
export function followUp(context: CommandContext, suffix: string): CommandContext {
  return { ...context, commandId: `${context.commandId}-${suffix}`, correlationId: context.correlationId ?? context.commandId };
}

/** A signed-in user; one person may hold several roles (small offices), maker–checker still applies. */
export interface Actor {
  readonly username: string;
  readonly roles: readonly Role[];
}

export function hasRole(actor: Actor, allowed: readonly Role[]): boolean {
  return actor.roles.some((role) => allowed.includes(role));
}

export type DomainEvent = { readonly type: string; readonly data: unknown };

/** A stream folded into its state, with what an append needs to be safe and idempotent. */
export interface Loaded<State> {
  readonly streamId: string;
  readonly state: State;
  /** The revision to expect when appending: 'no_stream' for a stream not yet written. */
  readonly expected: number | 'no_stream';
  /** True when this command already wrote to the stream: a retry, which must not decide again. */
  readonly alreadyHandled: boolean;
  readonly events: readonly StoredEvent[];
}

/** A command refused because the actor's role may not issue it. */
export class NotPermitted extends Error {
  override readonly name = 'NotPermitted';
}

/** A read or command naming something that does not exist; `field` names where a request's body named it. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function requireRole(actor: Actor, permission: Permission, what: string): void {
  const allowed = PERMISSIONS[permission];
  if (!hasRole(actor, allowed)) {
    throw new NotPermitted(`${what} needs the role ${allowed.join(' or ')}; ${actor.username} holds ${actor.roles.join(', ')}`);
  }
}

/**
 * Writers that lost the race for a stream load and decide again after a short random pause that
 * grows with each loss, so that those racing for one busy stream (a beneficiary's, a budget's)
 * spread out instead of colliding again at once: at most 5 attempts, the pauses from 5 to 100 ms.
 */
const CONFLICT_RETRIES = { retries: 4, factor: 2, minTimeout: 5, maxTimeout: 100, randomize: true } as const;

const UNOBSERVED: CommandObserver = { appended: () => undefined, retried: () => undefined };

/**
 * The write side's only way to the log: load a stream (upcast to today's schemas), fold it,
 * append what a decision returned with the revision it was decided on, and run a whole command
 * again when another writer got there first.
 */
export class EventSourcing {
  private readonly readAhead = new AsyncLocalStorage<Map<string, readonly StoredEvent[]>>();
  private readonly folded = new WeakMap<readonly StoredEvent[], Map<unknown, unknown>>();

  constructor(
    readonly store: EventStore,
    private readonly observer: CommandObserver = UNOBSERVED,
  ) {}

  /**
   * Runs `work` with `streams` (from `store.readStreams`) read ahead: a load inside it takes its
   * stream from there instead of a round trip of its own. This is how a batch job reads the
   * streams of a thousand commands in one query. An append forgets its stream, so later loads
   * read it afresh; a decision taken on events that went stale meanwhile fails its append on the
   * expected revision and is run again from a fresh read, as with any concurrent writer.
   */
  withStreamsRead<Result>(streams: Map<string, readonly StoredEvent[]>, work: () => Promise<Result>): Promise<Result> {
    return this.readAhead.run(streams, work);
  }

  async load<State, Event extends DomainEvent>(
    streamId: string,
    evolve: (state: State, event: Event) => State,
    initial: State,
    context?: CommandContext,
  ): Promise<Loaded<State>> {
    const ahead = this.readAhead.getStore()?.get(streamId);
    const events = ahead ?? (await this.store.readStream(streamId));
    const state = ahead ? this.foldOnce(ahead, evolve, initial) : fold(events, evolve, initial);
    const last = events[events.length - 1];
    const handled = context === undefined ? [] : events.filter((event) => event.metadata.commandId === context.commandId);
    if (handled.some((event) => isOtherRequest(event, context))) {
      throw new RuleViolated(
        'CommandIdReused',
        `command id ${context!.commandId} was already used for another request (another user or body): send a new Command-Id`,
        'Command-Id',
      );
    }
    return {
      streamId,
      state,
      expected: last ? last.streamRevision : 'no_stream',
      alreadyHandled: handled.length > 0,
      events,
    };
  }

  /**
   * A stream read ahead is folded once per aggregate, however many commands load it (the policy
   * catalog, a beneficiary with several claims): states are immutable values, so they can be shared.
   */
  private foldOnce<State, Event extends DomainEvent>(events: readonly StoredEvent[], evolve: (state: State, event: Event) => State, initial: State): State {
    let byAggregate = this.folded.get(events);
    if (!byAggregate) this.folded.set(events, (byAggregate = new Map()));
    if (!byAggregate.has(evolve)) byAggregate.set(evolve, fold(events, evolve, initial));
    return byAggregate.get(evolve) as State;
  }

  /** Appends `events` (nothing when empty) on the revision `loaded` was read at. */
  async append(loaded: Pick<Loaded<unknown>, 'streamId' | 'expected'>, events: readonly DomainEvent[], context: CommandContext): Promise<void> {
    if (events.length === 0) return;
    this.readAhead.getStore()?.delete(loaded.streamId);
    await this.timed(() => this.store.append(loaded.streamId, toNewEvents(events, context), { expectedRevision: loaded.expected }));
  }

  /**
   * Appends to several streams in one write, for a fact that each must show (see
   * `EventStore.appendToStreams`). Each stream's events carry a command id of their own, since a
   * command id belongs to one stream; streams with nothing to append are left out.
   */
  async appendTogether(
    writes: readonly { readonly loaded: Pick<Loaded<unknown>, 'streamId' | 'expected'>; readonly events: readonly DomainEvent[]; readonly commandId: string }[],
    context: CommandContext,
  ): Promise<void> {
    const nonEmpty = writes.filter((write) => write.events.length > 0);
    for (const write of nonEmpty) this.readAhead.getStore()?.delete(write.loaded.streamId);
    await this.timed(() =>
      this.store.appendToStreams(
        nonEmpty.map((write) => ({
          streamId: write.loaded.streamId,
          events: toNewEvents(write.events, { ...context, commandId: write.commandId, correlationId: context.correlationId ?? context.commandId }),
          options: { expectedRevision: write.loaded.expected },
        })),
      ),
    );
  }

  /** Every write to the log goes through here, so that its latency and conflicts are measured whoever appends. */
  private async timed(append: () => Promise<unknown>): Promise<void> {
    const started = performance.now();
    let outcome: AppendOutcome = 'failed';
    try {
      await append();
      outcome = 'appended';
    } catch (error) {
      if (error instanceof WrongExpectedRevision) outcome = 'conflict';
      throw error;
    } finally {
      this.observer.appended((performance.now() - started) / 1000, outcome);
    }
  }

  /**
   * One decision on one stream: load, decide on the state (unless this command id already wrote
   * here: a client's retry), append. Returns the state after, and what was appended.
   */
  async decideOn<State, Event extends DomainEvent>(
    streamId: string,
    aggregate: { readonly evolve: (state: State, event: Event) => State; readonly initial: State },
    decide: (state: State) => readonly Event[] | Promise<readonly Event[]>,
    context: CommandContext,
  ): Promise<{ state: State; appended: readonly Event[] }> {
    return this.retrying(async () => {
      const loaded = await this.load(streamId, aggregate.evolve, aggregate.initial, context);
      if (loaded.alreadyHandled) return { state: loaded.state, appended: [] };
      const events = await decide(loaded.state);
      await this.append(loaded, events, context);
      return { state: events.reduce(aggregate.evolve, loaded.state), appended: events };
    });
  }

  /**
   * Runs `command` again, from loading on, while another writer keeps winning the race. Any other
   * failure ends it as thrown: p-retry would swap a value that is not an `Error` of this realm (a
   * lost connection's error, seen across a VM context) for a TypeError, and a 503 for a 500.
   */
  async retrying<Result>(command: () => Promise<Result>): Promise<Result> {
    let failure: { readonly error: unknown } | undefined;
    try {
      return await pRetry(
        async () => {
          try {
            return await command();
          } catch (error) {
            if (error instanceof WrongExpectedRevision) throw error;
            failure = { error };
            throw new AbortError('not a write conflict');
          }
        },
        {
          ...CONFLICT_RETRIES,
          shouldRetry: () => {
            this.observer.retried();
            return true;
          },
        },
      );
    } catch (error) {
      throw failure ? failure.error : error;
    }
  }
}

function fold<State, Event extends DomainEvent>(events: readonly StoredEvent[], evolve: (state: State, event: Event) => State, initial: State): State {
  let state = initial;
  // The store hands events over in today's schema (see applicationEventStore).
  for (const stored of events) state = evolve(state, stored as unknown as Event);
  return state;
}

/** Events recorded before requests were fingerprinted, and commands of the system, cannot tell: taken as the same request. */
function isOtherRequest(event: StoredEvent, context: CommandContext | undefined): boolean {
  const recorded = event.metadata.requestFingerprint;
  return typeof recorded === 'string' && context?.requestFingerprint !== undefined && recorded !== context.requestFingerprint;
}

function toNewEvents(events: readonly DomainEvent[], context: CommandContext): NewEvent[] {
  return events.map((event) => ({
    type: event.type,
    data: event.data,
    metadata: {
      actor: context.actor.username,
      roles: context.actor.roles,
      commandId: context.commandId,
      correlationId: context.correlationId ?? context.commandId,
      ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
      ...(context.requestFingerprint === undefined ? {} : { requestFingerprint: context.requestFingerprint }),
      schemaVersion: schemaVersionOf(event.type),
    },
  }));
}

function schemaVersionOf(type: string): number {
  return CURRENT_SCHEMA_VERSIONS[type] ?? 1;
}

/**
 * The request a command id is bound to: the user, the method, the path with its query, and the
 * body with keys sorted (the same facts in another order are the same request). A hash, so the
 * metadata does not repeat the personal data of the body.
 */
export function requestFingerprint(request: { readonly username: string; readonly method: string; readonly url: string; readonly body: unknown }): string {
  return createHash('sha256')
    .update(canonicalJson([request.username, request.method, request.url, request.body ?? null]))
    .digest('base64url');
}
