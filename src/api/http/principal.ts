import type { Role } from '../../platform/api-tokens.js';

/** Who is calling, as their bearer token says: the admin by name, or the one customer a token is bound to. */
export interface Principal {
  role: Role;
  subject: string;
}

/** The customer a principal acts as; undefined for an admin, who sees every customer. */
export const ownCustomerId = (principal: Principal): string | undefined => (principal.role === 'customer' ? principal.subject : undefined);
