export * from './admin-request-error';
export * from './failure-profile-error';
export * from './simulator-option-error';
