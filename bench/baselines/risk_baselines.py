#!/usr/bin/python3
"""Baselines for bench/risk-model.bench.ts: XGBoost (hist) and logistic regression on the KCS data.

Run with Debian's interpreter (python3-xgboost 1.7, python3-sklearn, python3-pandas):
  /usr/bin/python3 bench/baselines/risk_baselines.py --train train.csv --valid valid.csv \
      [--features-train f_train.csv --features-valid f_valid.csv] [--trees 300]

Two encodings:
- "simple": what a data scientist would do first (and what Jeong et al. 2022 did for their baselines):
  categorical columns as integer codes fitted on the training file (unseen -> -1), log price, log mass,
  log unit value, duty rate, departure != origin. No target statistics.
- "clearway": the matrix Clearway's feature module computed (ordered target statistics etc.), written by
  the TypeScript bench, so the learners are compared on identical inputs.

Hyper-parameters are fixed in advance (never tuned on valid). Prints one JSON object on stdout.
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer

PERCENTS = [1, 2, 5, 10]
CATEGORICAL = ['Office ID', 'Process Type', 'Import Type', 'Import Use', 'Payment Type', 'Mode of Transport',
               'Declarant ID', 'Importer ID', 'Seller ID', 'Courier ID', 'HS6 Code', 'Country of Departure',
               'Country of Origin', 'Tax Type', 'Country of Origin Indicator']
LOW_CARDINALITY = ['Office ID', 'Process Type', 'Import Type', 'Import Use', 'Payment Type', 'Mode of Transport',
                   'Country of Departure', 'Country of Origin', 'Tax Type', 'Country of Origin Indicator']


def top_metrics(scores, fraud, critical):
    order = np.argsort(-scores, kind='stable')
    out = {'precision_at': {}, 'recall_at': {}, 'critical_recall_at': {}}
    for p in PERCENTS:
        n = max(1, int(round(len(scores) * p / 100)))
        top = order[:n]
        out['precision_at'][str(p)] = round(float(fraud[top].mean()), 4)
        out['recall_at'][str(p)] = round(float(fraud[top].sum() / max(1, fraud.sum())), 4)
        out['critical_recall_at'][str(p)] = round(float(critical[top].sum() / max(1, critical.sum())), 4)
    return out


def simple_encoding(train, valid):
    def numeric(df):
        mass = df['Net Mass'].astype(float)
        price = df['Item Price'].astype(float)
        return pd.DataFrame({
            'log_price': np.log1p(price),
            'log_mass': np.log1p(mass),
            'log_unit_value': np.log1p(price / np.maximum(mass, 0.01)),
            'tax_rate': df['Tax Rate'].astype(float),
            'departure_differs': (df['Country of Departure'] != df['Country of Origin']).astype(float),
        })
    tr, va = numeric(train), numeric(valid)
    for column in CATEGORICAL:
        codes = {value: i for i, value in enumerate(train[column].astype(str).unique())}
        tr[column] = train[column].astype(str).map(codes).astype(float)
        va[column] = valid[column].astype(str).map(codes).fillna(-1).astype(float)
    return tr, va


def with_critical_model(result, critical_scores, critical):
    """Critical metrics from a model trained for critical fraud; the fraud list's kept for comparison."""
    by_critical = top_metrics(critical_scores, critical, critical)
    result['critical_recall_at_fraud_score'] = result['critical_recall_at']
    result['critical_recall_at'] = by_critical['recall_at']
    return result


def fit_xgboost(x_train, y_train, x_valid, params):
    model = xgb.XGBClassifier(tree_method='hist', n_jobs=2, random_state=42, **params)
    started = time.perf_counter()
    model.fit(x_train, y_train)
    seconds = time.perf_counter() - started
    return model.predict_proba(x_valid)[:, 1], seconds


def fit_logistic(x_train, y_train, x_valid, one_hot_columns=()):
    numeric_columns = [c for c in x_train.columns if c not in one_hot_columns]
    from sklearn.compose import ColumnTransformer
    transform = ColumnTransformer([
        ('numeric', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), numeric_columns),
        *([('categorical', OneHotEncoder(handle_unknown='ignore'), list(one_hot_columns))] if one_hot_columns else []),
    ])
    model = make_pipeline(transform, LogisticRegression(max_iter=2000, C=1.0))
    started = time.perf_counter()
    model.fit(x_train, y_train)
    seconds = time.perf_counter() - started
    return model.predict_proba(x_valid)[:, 1], seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--train', required=True)
    parser.add_argument('--valid', required=True)
    parser.add_argument('--features-train')
    parser.add_argument('--features-valid')
    parser.add_argument('--trees', type=int, default=300)
    args = parser.parse_args()

    train = pd.read_csv(args.train, dtype=str, keep_default_na=False)
    valid = pd.read_csv(args.valid, dtype=str, keep_default_na=False)
    y_train = train['Fraud'].astype(int).values
    fraud = valid['Fraud'].astype(int).values
    critical = (valid['Critical Fraud'].astype(int).values == 2).astype(int)
    results = {}

    x_train, x_valid = simple_encoding(train, valid)
    # XGBoost's usual starting point: depth 6, 300 trees, learning rate 0.1.
    scores, seconds = fit_xgboost(x_train, y_train, x_valid, dict(n_estimators=args.trees, max_depth=6, learning_rate=0.1,
                                                                   subsample=0.8, colsample_bytree=0.8))
    results['xgboost_simple'] = {**top_metrics(scores, fraud, critical), 'train_seconds': round(seconds, 2)}
    y_critical = (train['Critical Fraud'].astype(int).values == 2).astype(int)
    critical_scores, _ = fit_xgboost(x_train, y_critical, x_valid, dict(n_estimators=args.trees, max_depth=6, learning_rate=0.1,
                                                                        subsample=0.8, colsample_bytree=0.8))
    with_critical_model(results['xgboost_simple'], critical_scores, critical)

    low = x_train[LOW_CARDINALITY].astype(int).astype(str), x_valid[LOW_CARDINALITY].astype(int).astype(str)
    lr_train = pd.concat([x_train[['log_price', 'log_mass', 'log_unit_value', 'tax_rate', 'departure_differs']], low[0]], axis=1)
    lr_valid = pd.concat([x_valid[['log_price', 'log_mass', 'log_unit_value', 'tax_rate', 'departure_differs']], low[1]], axis=1)
    scores, seconds = fit_logistic(lr_train, y_train, lr_valid, LOW_CARDINALITY)
    results['logistic_simple'] = {**top_metrics(scores, fraud, critical), 'train_seconds': round(seconds, 2)}

    if args.features_train and args.features_valid:
        f_train = pd.read_csv(args.features_train)
        f_valid = pd.read_csv(args.features_valid)
        fy_train = f_train.pop('__fraud').values
        fc_train = f_train.pop('__critical').values if '__critical' in f_train else None
        f_valid.pop('__fraud')
        if '__critical' in f_valid:
            f_valid.pop('__critical')
        # Same shape of trees as Clearway's defaults: leaf-wise, 31 leaves, depth 8, learning rate 0.05.
        same_shape = dict(n_estimators=args.trees, grow_policy='lossguide', max_leaves=31, max_depth=8, learning_rate=0.05,
                          subsample=0.8, colsample_bytree=0.8, min_child_weight=1e-3, reg_lambda=1.0, max_bin=255)
        scores, seconds = fit_xgboost(f_train, fy_train, f_valid, same_shape)
        results['xgboost_clearway_features'] = {**top_metrics(scores, fraud, critical), 'train_seconds': round(seconds, 2)}
        if fc_train is not None:
            critical_scores, _ = fit_xgboost(f_train, fc_train, f_valid, same_shape)
            with_critical_model(results['xgboost_clearway_features'], critical_scores, critical)
        # XGBoost's own default growth (depth-wise, depth 6) on the same matrix: usually its fastest setting,
        # so the training-time ratio is also given against it.
        scores, seconds = fit_xgboost(f_train, fy_train, f_valid, dict(n_estimators=args.trees, max_depth=6, learning_rate=0.05,
                                                                       subsample=0.8, colsample_bytree=0.8, max_bin=255))
        results['xgboost_clearway_features_depthwise'] = {**top_metrics(scores, fraud, critical), 'train_seconds': round(seconds, 2)}
        scores, seconds = fit_logistic(np.log1p(f_train.clip(lower=0)), fy_train, np.log1p(f_valid.clip(lower=0)))
        results['logistic_clearway_features'] = {**top_metrics(scores, fraud, critical), 'train_seconds': round(seconds, 2)}

    print(json.dumps(results))


if __name__ == '__main__':
    main()
