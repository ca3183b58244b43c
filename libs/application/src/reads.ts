import { Inject, Injectable } from '@nestjs/common';
import type { StoredEvent } from '#event-store/port';
import { Admissions, AnnualCapLedger, Cards, Claims, Payouts, UserAccounts } from '#domain';
import { admissionAggregate } from './admissions/admission-commands.js';
import { beneficiaryAggregate, beneficiaryStreamId } from './beneficiaries/beneficiary-commands.js';
import { cardAggregate } from './cards/card-commands.js';
import { claimAggregate } from './claims/claim-commands.js';
import { type DomainEvent, EventSourcing, NotFound } from './event-sourcing.js';
import { ledgerAggregate, payoutAggregate } from './payouts/payout-commands.js';
import { residentAggregate, residentStreamId } from './residents/resident-commands.js';

/** One recorded fact as an auditor reads it: what, when, by whom, under which command. */
export interface HistoryEntry {
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly actor: string;
  readonly roles?: unknown;
  readonly commandId?: string;
  readonly recordedAt: string;
}

export interface AggregateView<State> {
  readonly streamId: string;
  readonly state: State;
  readonly history: readonly HistoryEntry[];
}

function entry(event: StoredEvent): HistoryEntry {
  return {
    revision: event.streamRevision,
    type: event.type,
    data: event.data,
    actor: event.metadata.actor,
    roles: event.metadata.roles,
    ...(event.metadata.commandId ? { commandId: event.metadata.commandId } : {}),
    recordedAt: event.recordedAt.toISOString(),
  };
}

/**
 * Reads of one aggregate straight from its stream: its state now and every fact behind it. The
 * read models of the projections serve lists and reports; these serve "show me this one".
 */
@Injectable()
export class AggregateReader {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  private async view<State, Event extends DomainEvent>(
    streamId: string,
    aggregate: { evolve: (s: State, e: Event) => State; initial: State },
    what: string,
  ): Promise<AggregateView<State>> {
    const loaded = await this.sourcing.load(streamId, aggregate.evolve, aggregate.initial);
    if (loaded.events.length === 0) throw new NotFound(`no ${what}`);
    return { streamId, state: loaded.state, history: loaded.events.map(entry) };
  }

  beneficiary(beneficiaryId: string) {
    return this.view(beneficiaryStreamId(beneficiaryId), beneficiaryAggregate, `beneficiary ${beneficiaryId}`);
  }

  resident(residentId: string) {
    return this.view(residentStreamId(residentId), residentAggregate, `resident ${residentId}`);
  }

  card(cardNumber: string) {
    return this.view(Cards.cardStreamId(cardNumber), cardAggregate, `card ${cardNumber}`);
  }

  admission(admissionId: string) {
    return this.view(Admissions.admissionStreamId(admissionId), admissionAggregate, `admission ${admissionId}`);
  }

  claim(claimId: string) {
    return this.view(Claims.claimStreamId(claimId), claimAggregate, `claim ${claimId}`);
  }

  payout(payoutId: string) {
    return this.view(Payouts.payoutStreamId(payoutId), payoutAggregate, `payout ${payoutId}`);
  }

  /** An account and who did what to it: registered, confirmed, roles, passwords, disabling. */
  userAccount(username: string) {
    return this.view(UserAccounts.userStreamId(username), { evolve: UserAccounts.evolve, initial: UserAccounts.initialUserAccount }, `user ${username}`);
  }

  /** The annual ledger of one regime and year; an untouched year reads as nothing used. */
  /** Refuses an id that was never enrolled, for reads that would otherwise answer an empty ledger or balance. */
  async requireBeneficiary(beneficiaryId: string): Promise<void> {
    await this.beneficiary(beneficiaryId);
  }

  /** What a beneficiary has used of a regime in a year: an empty ledger when nothing yet. */
  async annualLedger(beneficiaryId: string, regimeId: string, year: number): Promise<AggregateView<AnnualCapLedger.AnnualCapLedger>> {
    await this.requireBeneficiary(beneficiaryId);
    const streamId = AnnualCapLedger.annualCapStreamId(beneficiaryId, regimeId, year);
    const loaded = await this.sourcing.load(streamId, ledgerAggregate.evolve, ledgerAggregate.initial);
    return { streamId, state: loaded.state, history: loaded.events.map(entry) };
  }
}
