// Programmatic API of the local stack (the CLI in stack.ts is a thin layer over it).
export { ensureStack, getStackStatus, stopStack } from './ensure-stack';
export type { StackDownResult, StackEndpoints, StackStatusResult, StackUpResult, StackVersions, ResolvedMode } from './stack-report';
export type { StackMode, StackOptions, StackPorts } from './stack-options';
export { APICURIO_REGISTRY_VERSION, DEFAULT_STACK_PORTS, KAFKA_VERSION } from './stack-options';
export type { ComponentDownResult, ComponentName, ComponentState, ComponentStatus, ComponentUpResult } from './stack-component';
export { formatEnvExports } from './stack-output';
export * from './errors';
