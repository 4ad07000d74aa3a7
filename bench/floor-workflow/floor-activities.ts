/**
 * No-op stand-ins for the saga's activities, under the same names so that `orderActivities`
 * schedules them. They answer with the shapes the saga expects and touch nothing.
 */
export const floorActivities = {
  async reserveStock(): Promise<void> {},
  async screenForFraud(): Promise<void> {},
  async chargePayment({ orderId }: { orderId: string }): Promise<{ chargeId: string }> {
    return { chargeId: `ch_floor_${orderId}` };
  },
  async confirmOrder(): Promise<void> {},
  async notifyCustomer(): Promise<{ delivered: boolean }> {
    return { delivered: true };
  },
};
