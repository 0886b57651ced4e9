import 'server-only';
/** Moved to server/operations/guards.ts (the hazard table); kept as a re-export for old imports. */
export { guard, guardError, requireConfirmation, HAZARDS, type Hazard } from './operations/guards';
