import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AnnualBudgets } from '#domain';
import { type CommandContext, EventSourcing, requireRole } from '../event-sourcing.js';

type Allocation = AnnualBudgets.AnnualBudgetEvent['data'];

export class AllocateAnnualBudget extends Command<AnnualBudgets.AnnualBudget> {
  constructor(
    readonly allocation: Allocation,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AllocateAnnualBudget)
export class AllocateAnnualBudgetHandler implements ICommandHandler<AllocateAnnualBudget> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ allocation, context }: AllocateAnnualBudget): Promise<AnnualBudgets.AnnualBudget> {
    requireRole(context.actor, 'allocateBudget', 'allocating an annual budget');
    const { state } = await this.sourcing.decideOn(
      AnnualBudgets.annualBudgetStreamId(allocation.year, allocation.regimeCode),
      { evolve: AnnualBudgets.evolve, initial: AnnualBudgets.initialAnnualBudget },
      (current) => AnnualBudgets.decide({ type: 'AllocateAnnualBudget', data: allocation }, current),
      context,
    );
    return state;
  }
}
