import type { CodecRouterOptions } from '../../src/api/codec/index.js';
import { bearerTokenHashes, tokenHash } from './codec-bearer.js';
import { EncryptionCodec, orderDataConverter, parsePayloadKeyring } from '../../src/platform/codec/index.js';

/**
 * The suite's payload key, committed on purpose: it protects nothing but test runs and the recorded
 * replay histories (which must decrypt on every checkout). Production keys come from PAYLOAD_KEYS.
 */
export const TEST_PAYLOAD_KEYS = 'test-1:+n8cBzJ+99tUzD64W2YcV+pH2PRGMRPSMLUp1W8z9lw=';
export const testPayloadCodec = new EncryptionCodec(parsePayloadKeyring(TEST_PAYLOAD_KEYS));
/** Every client and worker of the suite encrypts, as production does. */
export const TEST_DATA_CONVERTER = orderDataConverter(testPayloadCodec);

/** The bearer token the test stacks' codec server accepts. */
export const TEST_CODEC_TOKEN = 'codec_test_operator_token';

/** The codec server's options for a test API: the test key, the test token, the Web UI's origin. */
export const testCodecServer = (allowedOrigins: string[] = []): CodecRouterOptions => ({
  codec: testPayloadCodec,
  authorize: bearerTokenHashes([tokenHash(TEST_CODEC_TOKEN)]),
  allowedOrigins,
});
