import 'reflect-metadata';
import { runService } from '@workpipe/runtime';
import { PROCESSOR } from './processor.service-definition';

void runService(PROCESSOR);
