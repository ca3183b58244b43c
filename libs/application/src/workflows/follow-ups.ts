/**
 * The port through which a command has what its events ask of other aggregates done before it
 * answers (a payout scheduled once a claim is approved): the durable reactor behind it does the
 * same after a crash, from its checkpoint, so nothing waits for "the next command".
 */
export interface FollowUps {
  /** Does what every event appended so far asks for; a failure is left to the reactor's retries. */
  settle(): Promise<void>;
}

export const FOLLOW_UPS = Symbol('FollowUps');
