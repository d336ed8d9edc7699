import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@yardmaster/config';
import { ClassifierConfig, describeSecondStage } from './config.js';

describe('ClassifierConfig second stage', () => {
  const url = { CLASSIFIER_SECOND_STAGE_URL: 'https://ops:s3cret@llm.example.com' };

  it('treats the endpoint as external and PII as private unless told otherwise', () => {
    const second = ClassifierConfig.fromEnv(url).secondStage;
    assert.equal(second?.selfHosted, false);
    assert.equal(second?.piiPolicy, 'private');
    const told = ClassifierConfig.fromEnv({ ...url, CLASSIFIER_SECOND_STAGE_SELF_HOSTED: 'true', CLASSIFIER_PII_POLICY: 'allow' }).secondStage;
    assert.equal(told?.selfHosted, true);
    assert.equal(told?.piiPolicy, 'allow');
  });

  it('rejects an unknown PII policy, and describes the endpoint without its password', () => {
    assert.throws(() => ClassifierConfig.fromEnv({ ...url, CLASSIFIER_PII_POLICY: 'sometimes' }), ConfigError);
    const text = describeSecondStage(ClassifierConfig.fromEnv(url).secondStage!);
    assert.doesNotMatch(text, /s3cret/);
    assert.match(text, /ops:\*\*\*@llm\.example\.com.*external/);
  });
});

describe('ClassifierConfig exact token counts', () => {
  it('estimates by default and takes a whole number of characters up to 100,000', () => {
    assert.equal(ClassifierConfig.fromEnv({}).exactTokenChars, 0);
    assert.equal(ClassifierConfig.fromEnv({ CLASSIFIER_EXACT_TOKEN_CHARS: '1000' }).exactTokenChars, 1000);
    for (const bad of ['-1', '1.5', 'lots', '100001']) {
      assert.throws(() => ClassifierConfig.fromEnv({ CLASSIFIER_EXACT_TOKEN_CHARS: bad }), ConfigError, bad);
    }
  });
});
