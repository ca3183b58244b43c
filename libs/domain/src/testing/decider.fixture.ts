/**
 * Given past events, when a command is decided, then these events follow (or this error):
 * the shape of every decision spec.
 */
export function deciderSpec<Command, Event, State>(decider: {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
}) {
  return {
    given: (events: readonly Event[]) => ({
      when: (command: Command) => {
        const decideNow = (): Event[] => decider.decide(command, events.reduce(decider.evolve, decider.initialState));
        return {
          then: (expected: readonly Event[]): void => {
            expect(decideNow()).toEqual(expected);
          },
          thenThrows: (expected: Record<string, unknown>): void => {
            expect(decideNow).toThrow();
            try {
              decideNow();
            } catch (error) {
              expect(error).toMatchObject(expected);
            }
          },
        };
      },
    }),
  };
}
