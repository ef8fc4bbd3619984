/**
 * Private nfcapd/sfcapd collectors on loopback and the paced UDP sender that feeds them: used by
 * ingest to replay captured flow exports and by the generator to collect its NetFlow.
 * @module
 */
export { FlowCollector, freeUdpPort, parseReport, type CollectorKind, type CollectorOptions, type CollectorReport, type StoppedCollector } from './collector.js';
export { LOOPBACK, PacedSender, sendPaced, sendUdp, udpSocketState, waitUntilRead, type SendResult } from './paced-sender.js';
