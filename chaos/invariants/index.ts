export { checkInvariants, type InvariantInputs, type InvariantReport } from './check-invariants.js';
export { findMoneyViolations, simulatorLedger, type GatewayLedger, type MoneyRule, type MoneyViolation } from './money.js';
export { findNotificationViolations } from './notifications.js';
export { findDeliveryViolations, findEventViolations, findOrderEventViolations, type OrderTransitionFacts } from './order-events.js';
export { findAccountingViolations, type AcceptedOrder } from './orders-accounted.js';
export { findReadModelViolations } from './read-model.js';
export { orderWorkflowRuns, type WorkflowRun } from './temporal-facts.js';
export { INVARIANT_GROUPS, type InvariantGroup, type Violation } from './violation.js';
