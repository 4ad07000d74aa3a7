export { eventsRouter } from './router.js';
export type { EventPage } from './schemas.js';
