import 'reflect-metadata';
import { runService } from '@workpipe/runtime';
import { RETRIER } from './retrier.service-definition';

void runService(RETRIER);
