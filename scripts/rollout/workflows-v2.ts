// Build v2's workflows: the bundle entry, as src/workflows/index.ts is v1's.
export { orderWorkflow } from './order-workflow-v2.js';
