export { orderDataConverter, payloadCodecFromConfig, payloadCodecSchema, type PayloadCodecConfig } from './codec-config.js';
export { ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA, PayloadDecryptionError } from './encryption-codec.js';
export { newPayloadKeyEntry, parsePayloadKeyring, PAYLOAD_KEY_BYTES, type PayloadKeyring } from './payload-keys.js';
