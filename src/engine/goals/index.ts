/** Goals: one evaluator over the trace and the simulation state (docs/lessons.md). */
export { evaluateGoal, evaluateGoals, goalKind, matchedRule, requestEvents, type GoalKind, type GoalResult, type GoalContext } from './evaluate';
export { renderMessage, type Lang } from './messages';
export { changedObjects, LOCKABLE_KINDS } from './unchanged';
export type { Goal } from '../scenario/schema/challenge';
