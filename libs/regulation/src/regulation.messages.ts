import { defineFieldMessages } from '@app/core';

import catalogue from './regulation.texts.json';

defineFieldMessages(catalogue.fields);
