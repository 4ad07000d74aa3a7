import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes, so operators can find orders in the Web UI and with `temporal workflow list`. */
export const OrderStatusAttribute = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const CustomerIdAttribute = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const OrderTotalAttribute = defineSearchAttributeKey('OrderTotal', SearchAttributeType.DOUBLE);

/** The same attributes as `temporal server start-dev --search-attribute NAME=TYPE` and `operator search-attribute create` take them. */
export const ORDER_SEARCH_ATTRIBUTE_TYPES: Record<string, string> = {
  [OrderStatusAttribute.name]: 'Keyword',
  [CustomerIdAttribute.name]: 'Keyword',
  [OrderTotalAttribute.name]: 'Double',
};
