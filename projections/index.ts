import type { Projection } from '#projections';
import { streamActivity } from './stream-activity/stream-activity.projection.js';

/** Every read model the system maintains; the runner, the worker and the rebuild CLI use this list. */
export const ALL_PROJECTIONS: readonly Projection[] = [streamActivity];

export { streamActivity, streamActivityDiscrepancies, categoryOf } from './stream-activity/stream-activity.projection.js';
