import 'reflect-metadata';
import { runService } from '@workpipe/runtime';
import { STATS } from './stats.service-definition';

void runService(STATS);
