/** The one host every stack part listens on: loopback only. */
export const STACK_HOST = '127.0.0.1';
