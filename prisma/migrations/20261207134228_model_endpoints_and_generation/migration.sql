-- CreateEnum
CREATE TYPE "GenerationStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "GenerationTaskState" AS ENUM ('pending', 'done', 'failed');

-- AlterTable
ALTER TABLE "items" ADD COLUMN     "awaiting_responses" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "generation_issue" TEXT;

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "generation" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "model_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "api_key_encrypted" BYTEA,
    "api_key_last4" TEXT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "concurrency" INTEGER NOT NULL DEFAULT 4,
    "timeout_seconds" INTEGER NOT NULL DEFAULT 120,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generation_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "requested_by_id" UUID,
    "options" JSONB NOT NULL,
    "status" "GenerationStatus" NOT NULL DEFAULT 'queued',
    "planned" BOOLEAN NOT NULL DEFAULT false,
    "tasks_total" INTEGER NOT NULL DEFAULT 0,
    "tasks_done" INTEGER NOT NULL DEFAULT 0,
    "tasks_failed" INTEGER NOT NULL DEFAULT 0,
    "items_total" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "generation_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generation_tasks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "run_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "sample_index" INTEGER NOT NULL,
    "state" "GenerationTaskState" NOT NULL DEFAULT 'pending',
    "response_key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "regenerations" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "latency_ms" INTEGER,
    "usage" JSONB,
    "finish_reason" TEXT,
    "reasoning" TEXT,
    "params" JSONB,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "generation_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "model_endpoints_name_key" ON "model_endpoints"("name");

-- CreateIndex
CREATE INDEX "generation_runs_project_id_created_at_idx" ON "generation_runs"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "generation_tasks_run_id_state_item_id_idx" ON "generation_tasks"("run_id", "state", "item_id");

-- CreateIndex
CREATE UNIQUE INDEX "generation_tasks_run_id_item_id_endpoint_id_sample_index_key" ON "generation_tasks"("run_id", "item_id", "endpoint_id", "sample_index");

-- AddForeignKey
ALTER TABLE "model_endpoints" ADD CONSTRAINT "model_endpoints_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_tasks" ADD CONSTRAINT "generation_tasks_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "generation_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_tasks" ADD CONSTRAINT "generation_tasks_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_tasks" ADD CONSTRAINT "generation_tasks_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "model_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
