/** Every account is a user; `support` and `admin` accounts may also sign in to the console. */
export const USER_ROLES = ['member', 'support', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const OPERATOR_ROLES = ['support', 'admin'] as const satisfies readonly UserRole[];
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** A role holds every permission of the roles ranked below it. */
export const ROLE_RANK: Record<UserRole, number> = { member: 0, support: 1, admin: 2 };

export const isOperatorRole = (role: unknown): role is OperatorRole => (OPERATOR_ROLES as readonly unknown[]).includes(role);
