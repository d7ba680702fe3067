// Programmatic API of the local stack (the CLI in stack.ts is a thin layer over it).
export { ensureStack, getStackStatus, stopStack } from './ensure-stack';
export { freezeBroker, killBroker, startBroker, stopBroker, thawBroker } from './broker-control';
export { freezeRegistry, thawRegistry } from './registry-control';
export type { StackDownResult, StackEndpoints, StackStatusResult, StackUpResult, StackVersions, ResolvedMode } from './stack-report';
export type { StackMode, StackOptions, StackPorts } from './stack-options';
export { APICURIO_REGISTRY_VERSION, DEFAULT_STACK_PORTS, PORT_VARIABLES } from './stack-options';
export { DEFAULT_KAFKA_VERSION, TESTED_KAFKA_VERSIONS } from './kafka-version';
export type { KafkaNodeSpec, KafkaReplication, KafkaTopology } from './kafka-topology';
export { SUPPORTED_BROKER_COUNTS, replicationFor } from './kafka-topology';
export type {
  ComponentDownResult,
  ComponentName,
  ComponentState,
  ComponentStatus,
  ComponentUpResult,
  NodeStatus,
} from './stack-component';
export { formatEnvExports } from './stack-output';
export * from './errors';
