import 'reflect-metadata';
import { runService } from '@workpipe/runtime';
import { INGESTOR } from './ingestor.service-definition';

void runService(INGESTOR);
